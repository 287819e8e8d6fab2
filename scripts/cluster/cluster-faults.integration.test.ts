/**
 * Issue 12's cluster tests on the whole one-machine cluster (one for the
 * file): PostgreSQL, Redis, two real web nodes behind real HAProxy, three
 * real agents registered with credentials as separate fleets, and real
 * socket.io clients opening terminals and sandbox channels as the page does.
 * Sandboxes spread over the agents (each reached only through the tunnels it
 * dialed) and a terminal and a port preview on web node 2 reach agent a3; an agent dies by kill -9 and its learner hears why and starts again
 * elsewhere with the saved file; a web node dies by kill -9 and the terminal
 * reattaches through the other to the same shell with nothing lost; Redis
 * and PostgreSQL restart under the running nodes; two nodes place 40 starts
 * at once without booking any agent beyond its capacity.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { promisify, stripVTControlCharacters } from "node:util";
import { LABEL } from "@drydock/engine";
import { agentTunnelUrl, type Reply, SANDBOX_NAMESPACE, type SandboxStatus, TERMINAL_NAMESPACE } from "@drydock/protocol";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLACED_STATES } from "../../apps/web/src/server/agents/agent-placement";
import { MACHINE_WENT_AWAY } from "../../apps/web/src/server/agents/agent-sweeper";
import { type Database, openDatabase } from "../../apps/web/src/server/db";
import { fleetSandboxes, waitUntil } from "../lib/drydock-server";
import { type RunningCluster, startCluster } from "./start-cluster";

const run = promisify(execFile);
const BASE_PORT = Number(process.env.TEST_CLUSTER_FAULTS_PORT ?? 5800);
const FLEET_PREFIX = `${process.env.DRYDOCK_TEST_FLEET_PREFIX ?? "ct"}-faults-${randomBytes(3).toString("hex")}`;
const LESSON = "commit-a-container";
/** Each agent's capacity: small, so the concurrent placement fills the cluster. */
const MAX_SANDBOXES = 2;
const AGENTS = ["a1", "a2", "a3"];

let cluster: RunningCluster;
let db: Database;
const sockets: Socket[] = [];
/** Every learner this file started, to end them before the placement race. */
const learners: Learner[] = [];

beforeAll(async () => {
  cluster = await startCluster({
    basePort: BASE_PORT,
    webNodes: 2,
    agents: 3,
    fleetPrefix: FLEET_PREFIX,
    agentEnv: { POOL_SIZE: "0", MAX_SANDBOXES: String(MAX_SANDBOXES) },
    webEnv: { MAX_LIVE_SANDBOXES: "100" },
  });
  db = openDatabase(cluster.databaseUrl);
  await waitUntil(
    "the three agents report up",
    async () => (await db.agent.count({ where: { state: "up", name: { in: AGENTS }, revokedAt: null } })) === AGENTS.length,
  );
}, 300_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await db?.$disconnect();
  await cluster?.stop();
}, 180_000);

interface Learner {
  id: string;
  cookie: string;
}

const sameOrigin = (base: string) => ({ origin: base, "sec-fetch-site": "same-origin", "sec-fetch-mode": "cors" });

async function logs(): Promise<string> {
  const names = ["web1", "web2", ...AGENTS];
  return (await Promise.all(names.map(async (name) => `--- ${name}\n${await cluster.logTail(name, 15).catch(() => "")}`))).join("\n");
}

/** POST /api/sessions as the page does; the learner's cookie is kept (or made by the answer). */
async function startLesson(base: string, cookie?: string): Promise<Learner> {
  const response = await fetch(`${base}/api/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...sameOrigin(base), ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ lessonId: LESSON }),
  });
  const json = (await response.json()) as { id?: string; error?: string };
  if (response.status !== 201 || !json.id) throw new Error(`The start was refused (${response.status}): ${json.error}\n${await logs()}`);
  const learner = { id: json.id, cookie: cookie ?? (response.headers.get("set-cookie")?.split(";")[0] as string) };
  learners.push(learner);
  return learner;
}

const agentNameOf = async (sessionId: string) => {
  const session = await db.session.findUniqueOrThrow({ where: { id: sessionId } });
  return (await db.agent.findUniqueOrThrow({ where: { id: session.agentId ?? "" } })).name;
};

/** The first learner this file started whose session the agent holds. */
async function learnerOn(agent: string): Promise<Learner> {
  for (const learner of learners) if ((await agentNameOf(learner.id)) === agent) return learner;
  throw new Error(`No learner of this file is on ${agent}.`);
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
}

/** The learner's page's sandbox channel (files, status) on the given origin. */
async function sandboxChannel(base: string, learner: Learner): Promise<Socket> {
  const socket = io(`${base}${SANDBOX_NAMESPACE}`, {
    auth: { sessionId: learner.id },
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    extraHeaders: { origin: base, cookie: learner.cookie },
  });
  sockets.push(socket);
  await connected(socket);
  return socket;
}

async function ask<T>(socket: Socket, event: string, body: unknown): Promise<T> {
  const reply = (await socket.timeout(30_000).emitWithAck(event, body)) as Reply<T>;
  if (!reply.ok) throw new Error(`${event} was refused: ${reply.error}`);
  return reply.value;
}

/** A terminal as the page opens it: everything it printed, and waits for text to appear. */
interface OpenTerminal {
  socket: Socket;
  /** All output since it was opened (or since `clear`). */
  screen(): string;
  clear(): void;
  type(line: string): void;
  /** Resolves with the screen once it matches. */
  waitFor(pattern: RegExp, what: string): Promise<RegExpMatchArray>;
}

async function openTerminal(base: string, learner: Learner, options: { reconnection: boolean }): Promise<OpenTerminal> {
  const socket = io(`${base}${TERMINAL_NAMESPACE}`, {
    auth: { sessionId: learner.id, size: { cols: 120, rows: 40 } },
    transports: ["websocket"],
    reconnection: options.reconnection,
    forceNew: true,
    extraHeaders: { origin: base, cookie: learner.cookie },
  });
  sockets.push(socket);
  let text = "";
  socket.on("terminal:output", (data: Uint8Array, ack?: () => void) => {
    text += Buffer.from(data).toString("utf8");
    ack?.();
  });
  const terminal: OpenTerminal = {
    socket,
    screen: () => stripVTControlCharacters(text),
    clear: () => {
      text = "";
    },
    type: (line) => socket.emit("terminal:input", `${line}\r`),
    waitFor: async (pattern, what) => {
      let found: RegExpMatchArray | null = null;
      await waitUntil(
        `the terminal shows ${what}`,
        async () => {
          found = stripVTControlCharacters(text).match(pattern);
          return found !== null;
        },
        90_000,
      );
      return found as unknown as RegExpMatchArray;
    },
  };
  await connected(socket);
  await terminal.waitFor(/@sandbox/, "the shell's prompt");
  return terminal;
}

/** A node's /healthz: its status and what it says failed (undefined when it did not answer). */
const health = (url: string) =>
  fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) }).then(
    async (response) => ({
      status: response.status,
      failed: ((await response.json()) as { failed?: Record<string, string> }).failed ?? {},
    }),
    () => undefined,
  );

describe("the one-machine cluster under faults", () => {
  it("spreads sessions started through the balancer over the three agents, and web node 2 drives a sandbox on a3 and serves its port preview", async () => {
    for (let i = 0; i < AGENTS.length; i++) await startLesson(cluster.balancerUrl);
    const hosts = await Promise.all(learners.map((learner) => agentNameOf(learner.id)));
    expect([...hosts].sort()).toEqual(AGENTS);
    for (const agent of await db.agent.findMany({ where: { name: { in: AGENTS } } })) {
      expect(agent.placed, agent.name).toBe(1);
      // No web node dials an agent: each is reached through the tunnels it dialed to every web node.
      expect(agent.publicUrl, agent.name).toBe(agentTunnelUrl(agent.id));
    }

    const learner = await learnerOn("a3");
    const web2 = cluster.service("web2").url;
    const terminal = await openTerminal(web2, learner, { reconnection: false });
    terminal.type("echo drove-$((40+2)) on $(hostname)");
    const [, hostname] = await terminal.waitFor(/drove-42 on (\S+)/, "the command's output");
    // The shell ran in the session's sandbox, a container of a3's fleet.
    const session = await db.session.findUniqueOrThrow({ where: { id: learner.id } });
    expect(await fleetSandboxes(`${FLEET_PREFIX}-a3`)).toContain(session.sandboxId);
    expect(hostname).toBe(await containerHostname(session.sandboxId as string));

    // A port preview of that sandbox, opened and served through web node 2 (and so a3's tunnel to it).
    terminal.type(
      "mkdir -p /tmp/site && echo tunneled-$((6*7)) > /tmp/site/index.html && (python3 -m http.server 8080 --directory /tmp/site >/dev/null 2>&1 &)",
    );
    await waitUntil("the sandbox's port 8080 is listed", async () => {
      const listed = await fetch(`${web2}/api/sessions/${learner.id}/ports`, { headers: { cookie: learner.cookie } });
      return ((await listed.json()) as { ports?: { port: number }[] }).ports?.some((port) => port.port === 8080) ?? false;
    });
    const opened = await fetch(`${web2}/api/sessions/${learner.id}/ports/8080/open`, {
      headers: { cookie: learner.cookie },
      redirect: "manual",
    });
    const grant = new URL(opened.headers.get("location") ?? "");
    const traded = await getThrough(web2, grant.host, `${grant.pathname}${grant.search}`);
    expect(traded.status).toBe(303);
    const cookie = String(traded.headers["set-cookie"]).split(";")[0] as string;
    const page = await getThrough(web2, grant.host, "/", cookie);
    const why = page.status === 200 ? "" : `\n${await logs()}`;
    expect({ status: page.status, body: page.body.trim() }, why).toEqual({ status: 200, body: "tunneled-42" });
    terminal.socket.close();
  });

  it("tells the learner of a killed agent that the machine went away, and starting again lands elsewhere with the saved file", async () => {
    const learner = await learnerOn("a2");
    const before = await db.session.findUniqueOrThrow({ where: { id: learner.id } });
    const page = await sandboxChannel(cluster.balancerUrl, learner);
    const path = `notes-${randomBytes(3).toString("hex")}.txt`;
    const written = await ask<{ status: string }>(page, "files:write", { path, content: "kept across machines\n" });
    expect(written.status).toBe("written");
    await waitUntil("the saved file is kept", async () => (await db.savedFile.count({ where: { path } })) === 1);

    const told = new Promise<SandboxStatus>((resolve) => {
      page.on("sandbox:status", (status: SandboxStatus) => status.state === "gone" && resolve(status));
    });
    await cluster.kill("a2", "SIGKILL");
    expect((await told).message).toBe(MACHINE_WENT_AWAY);
    expect((await db.agent.findFirstOrThrow({ where: { name: "a2", revokedAt: null } })).state).toBe("down");
    expect(await db.session.findUniqueOrThrow({ where: { id: learner.id } })).toMatchObject({ state: "gone", failure: MACHINE_WENT_AWAY });

    const again = await startLesson(cluster.balancerUrl, learner.cookie);
    expect(["a1", "a3"]).toContain(await agentNameOf(again.id));
    const restored = await ask<{ content: string }>(await sandboxChannel(cluster.balancerUrl, again), "files:read", { path });
    expect(restored.content).toBe("kept across machines\n");

    // The machine comes back: it reports again, and the sandbox its learner left is removed.
    await cluster.restart("a2");
    await waitUntil(
      "a2 is up again",
      async () => (await db.agent.findFirstOrThrow({ where: { name: "a2", revokedAt: null } })).state === "up",
    );
    await waitUntil(
      "a2's abandoned sandbox is removed",
      async () => !(await fleetSandboxes(`${FLEET_PREFIX}-a2`)).includes(before.sandboxId ?? ""),
    );
  });

  it("reattaches a terminal whose web node was killed, through the other node, to the same shell with no lost output", async () => {
    const learner = await learnerOn("a3");
    const session = await db.session.findUniqueOrThrow({ where: { id: learner.id } });
    expect(session.state).toBe("ready");
    // The terminal must be held by the node to be killed: only web1 is in the balancer while it opens.
    await cluster.kill("web2", "SIGKILL");
    await waitUntil("the balancer takes web2 out", async () => (await cluster.balancerStates()).web2 === "DOWN");
    const terminal = await openTerminal(cluster.balancerUrl, learner, { reconnection: true });
    await cluster.restart("web2");
    await waitUntil("the balancer has web2 back", async () => (await cluster.balancerStates()).web2 === "UP");

    terminal.type("echo shell=$$");
    const [, shell] = await terminal.waitFor(/shell=(\d+)/, "the shell's pid");
    // The shell prints only once released, and the client's reconnection is held until it has: that
    // output is certainly printed while no web node relays the terminal.
    const tag = randomBytes(3).toString("hex");
    terminal.type(`until [ -e released-${tag} ]; do sleep 0.2; done; echo MARK-$((6*7)); echo yes > printed-${tag}`);
    await terminal.waitFor(/until \[/, "the command typed");
    const disconnected = new Promise<void>((resolve) =>
      terminal.socket.once("disconnect", () => {
        terminal.socket.io.reconnection(false);
        resolve();
      }),
    );
    await cluster.kill("web1", "SIGKILL");
    await disconnected;
    expect(terminal.screen()).not.toContain("MARK-42");

    const files = await sandboxChannel(cluster.service("web2").url, learner);
    await ask(files, "files:write", { path: `released-${tag}`, content: "" });
    await waitUntil("the shell printed while its terminal was away", async () => {
      const printed = await ask<{ content: string }>(files, "files:read", { path: `printed-${tag}` }).catch(() => ({ content: "" }));
      return printed.content === "yes\n";
    });
    terminal.clear();
    terminal.socket.io.reconnection(true);
    terminal.socket.connect();
    await waitUntil("the terminal reconnects through the balancer", async () => terminal.socket.connected, 90_000);
    // The reattached screen replays what the shell printed meanwhile, then the same shell answers.
    await terminal.waitFor(/MARK-42/, "the output printed while it was away");
    terminal.type("echo again=$$");
    const [, again] = await terminal.waitFor(/again=(\d+)/, "the shell's pid after reattaching");
    expect(again).toBe(shell);
    terminal.socket.close();

    await cluster.restart("web1");
    await waitUntil("the balancer has web1 back", async () => (await cluster.balancerStates()).web1 === "UP");
  });

  it("recovers by itself from a Redis crash and restart and a PostgreSQL crash and restart: both nodes healthy, a new session starts and answers", async () => {
    const nodes = [cluster.service("web1").url, cluster.service("web2").url];
    // Each dies as a crash would, the nodes notice (their /healthz says what failed), then it comes back on its data.
    for (const [service, dependency] of [
      ["redis", "redis"],
      ["postgres", "database"],
    ] as const) {
      await cluster.kill(service, "SIGKILL");
      for (const node of nodes)
        await waitUntil(`${node}/healthz says ${dependency} failed`, async () => {
          const answer = await health(node);
          return answer?.status === 503 && dependency in answer.failed;
        });
      await cluster.restart(service);
      for (const node of nodes) await waitUntil(`${node}/healthz answers 200`, async () => (await health(node))?.status === 200);
    }
    await waitUntil("the balancer has both nodes", async () => {
      const states = await cluster.balancerStates();
      return states.web1 === "UP" && states.web2 === "UP";
    });

    const learner = await startLesson(cluster.balancerUrl);
    const terminal = await openTerminal(cluster.balancerUrl, learner, { reconnection: false });
    terminal.type("echo recovered-$((20+3))");
    await terminal.waitFor(/recovered-23/, "the command's output");
    terminal.socket.close();
  });

  it("places exactly the capacity when two web nodes place 40 sandboxes at once: no agent over its limit, nothing placed twice", async () => {
    // End every earlier session, so the cluster's whole capacity is free.
    for (const learner of learners) {
      const ended = await fetch(`${cluster.balancerUrl}/api/sessions/${learner.id}`, {
        method: "DELETE",
        headers: { ...sameOrigin(cluster.balancerUrl), cookie: learner.cookie },
      });
      expect([204, 404, 410]).toContain(ended.status);
    }
    await waitUntil("every agent's places are free", async () => {
      const agents = await db.agent.findMany({ where: { name: { in: AGENTS }, revokedAt: null } });
      return agents.length === AGENTS.length && agents.every((agent) => agent.state === "up" && agent.placed === 0);
    });
    for (const fleet of cluster.fleets)
      await waitUntil(`${fleet} holds no sandbox`, async () => (await fleetSandboxes(fleet)).length === 0);

    const nodes = [cluster.service("web1").url, cluster.service("web2").url];
    const capacity = AGENTS.length * MAX_SANDBOXES;
    // From four client addresses, so no address reaches its start rate.
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => post(nodes[i % 2] as string, "/api/sessions", `127.0.0.${2 + (i % 4)}`, { lessonId: LESSON })),
    );
    const placed = answers.filter((answer) => answer.status === 201).map((answer) => answer.json.id as string);
    const refused = answers.filter((answer) => answer.status !== 201);
    expect(placed, JSON.stringify(refused.slice(0, 3))).toHaveLength(capacity);
    expect(new Set(placed).size).toBe(capacity);
    for (const answer of refused) {
      expect([429, 503]).toContain(answer.status);
      // The cluster is full: the learner is told so and when to try again.
      expect(answer.json.error).toMatch(answer.status === 503 ? /sandbox machine .*Try again in \d+ s/ : /\w+/);
    }
    console.info(JSON.stringify({ event: "test.concurrent_placement", placed: placed.length, refused: refused.map((r) => r.status) }));

    const live = await db.session.findMany({
      where: { state: { in: PLACED_STATES } },
      select: { id: true, agentId: true, sandboxId: true },
    });
    expect(live.map((session) => session.id).sort()).toEqual([...placed].sort());
    expect(new Set(live.map((session) => session.sandboxId)).size).toBe(capacity);
    const agents = await db.agent.findMany({ where: { name: { in: AGENTS }, revokedAt: null } });
    for (const agent of agents) {
      expect(live.filter((session) => session.agentId === agent.id).length, agent.name).toBeLessThanOrEqual(MAX_SANDBOXES);
      expect(agent.placed, agent.name).toBeLessThanOrEqual(MAX_SANDBOXES);
    }
    // What Docker holds, the ground truth: each fleet within its agent's limit, every sandbox once.
    const containers = (await Promise.all(cluster.fleets.map((fleet) => fleetSandboxes(fleet)))).map((ids) => ids.length);
    for (const count of containers) expect(count).toBeLessThanOrEqual(MAX_SANDBOXES);
    expect(containers.reduce((sum, count) => sum + count, 0)).toBe(capacity);
  }, 300_000);
});

/** The hostname Docker gave the sandbox's container. */
async function containerHostname(sandboxId: string): Promise<string> {
  const { stdout } = await run("docker", ["ps", "--all", "--quiet", "--filter", `label=${LABEL.sandboxId}=${sandboxId}`]);
  const container = stdout.trim();
  if (!container) throw new Error(`No container holds sandbox ${sandboxId}.`);
  return (await run("docker", ["inspect", "--format", "{{.Config.Hostname}}", container])).stdout.trim();
}

/** A GET to a web node for another host (a preview host), as a browser resolving it to that node would send. */
function getThrough(
  base: string,
  host: string,
  path: string,
  cookie?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${base}${path}`, { headers: { host, ...(cookie ? { cookie } : {}) } }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on("error", reject);
    request.end();
  });
}

/** One POST from a chosen client address (node's fetch cannot pick it), with the page's same-origin headers. */
function post(
  base: string,
  path: string,
  localAddress: string,
  body: unknown,
): Promise<{ status: number; json: { id?: string; error?: string } }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${base}${path}`,
      {
        method: "POST",
        localAddress,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload), ...sameOrigin(base) },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, json: text ? JSON.parse(text) : {} }));
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}
