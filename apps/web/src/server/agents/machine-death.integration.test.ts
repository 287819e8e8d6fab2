import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { removeFleet } from "@drydock/engine";
import { AGENT_DOWN_AFTER_MS, type Reply, SANDBOX_NAMESPACE, type SandboxStatus } from "@drydock/protocol";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningDrydock, startDrydock, waitUntil } from "../../../../../scripts/lib/drydock-server";
import { type AgentProcess, startAgentProcess } from "../../../../sandbox-agent/src/testing/agent-process";
import { type Database, openDatabase } from "../db";
import { issueAgent } from "./agent-registry";
import { MACHINE_WENT_AWAY } from "./agent-sweeper";

/**
 * Many machines on one: the built web app and two real agents (fleets of
 * their own, sharing this host's engine) registered with credentials,
 * heartbeating to the web. A learner's sandbox is placed on one; that agent
 * is killed with SIGKILL; the learner's page (a real socket.io client on the
 * web's sandbox channel) hears "your machine went away"; starting again
 * lands on the other agent with the saved file restored.
 */
const prefix = `${process.env.DRYDOCK_TEST_FLEET_PREFIX ?? "ag"}-death-${randomBytes(3).toString("hex")}`;
const WEB_PORT = Number(process.env.TEST_AGENTS_WEB_PORT ?? 5560);
const AGENT_PORTS = [WEB_PORT + 1, WEB_PORT + 2, WEB_PORT + 3];
const LESSON = "commit-a-container";
// Every agent on this host shares the deployment's secret (the registry gateway on the sandbox network is the first agent's).
const secret =
  process.env.DRYDOCK_AGENT_SECRET ?? readFileSync(join(import.meta.dirname, "../../../../../.drydock/agent-secret"), "utf8").trim();

let drydock: RunningDrydock;
let db: Database;
const agents = new Map<string, AgentProcess>();
/** Each agent's environment, to start it again as the same machine. */
const agentEnv = new Map<string, Record<string, string>>();
const sockets: Socket[] = [];

beforeAll(async () => {
  drydock = await startDrydock({
    webPort: WEB_PORT,
    agentPort: AGENT_PORTS[0] as number,
    fleet: `${prefix}-web`,
    env: { POOL_SIZE: "0", DRYDOCK_AGENT_SECRET: secret },
  });
  db = openDatabase(drydock.databaseUrl);
  for (const [index, name] of ["one", "two"].entries()) {
    const { credential } = await issueAgent(db, `${prefix}-${name}`);
    const env = { CONTROL_PLANE_URL: drydock.base, DRYDOCK_AGENT_CREDENTIAL: credential, AGENT_LABELS: `zone=${name}`, MAX_SANDBOXES: "3" };
    agents.set(`${prefix}-${name}`, await startAgentProcess({ fleet: `${prefix}-${name}`, secret }, AGENT_PORTS[index + 1] as number, env));
    agentEnv.set(`${prefix}-${name}`, env);
  }
  await waitUntil("both agents report up", async () => (await db.agent.count({ where: { state: "up" } })) === 2);
}, 240_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  for (const agent of agents.values()) if (agent.child.exitCode === null && agent.child.signalCode === null) agent.child.kill("SIGTERM");
  await Promise.all([...agents.values()].map((agent) => removeFleet(agent.fleet)));
  await db?.$disconnect();
  await drydock?.stop();
});

const sameOrigin = () => ({ origin: drydock.base, "sec-fetch-site": "same-origin", "sec-fetch-mode": "cors" });

async function startLesson(cookie?: string): Promise<{ id: string; cookie: string }> {
  const response = await fetch(`${drydock.base}/api/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...sameOrigin(), ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ lessonId: LESSON }),
  });
  const json = (await response.json()) as { id?: string; error?: string };
  if (response.status !== 201 || !json.id) throw new Error(`The start was refused (${response.status}): ${json.error}\n${drydock.log()}`);
  return { id: json.id, cookie: cookie ?? (response.headers.get("set-cookie")?.split(";")[0] as string) };
}

/** The learner's page's sandbox channel on the web origin. */
async function sandboxChannel(sessionId: string, cookie: string): Promise<Socket> {
  const socket = io(`${drydock.base}${SANDBOX_NAMESPACE}`, {
    auth: { sessionId },
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    extraHeaders: { origin: drydock.base, cookie },
  });
  sockets.push(socket);
  await new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(undefined));
    socket.once("connect_error", reject);
  });
  return socket;
}

async function request<T>(socket: Socket, event: string, body: unknown): Promise<T> {
  const reply = (await socket.timeout(30_000).emitWithAck(event, body)) as Reply<T>;
  if (!reply.ok) throw new Error(`${event} was refused: ${reply.error}`);
  return reply.value;
}

describe("when a machine dies (two real agents, kill -9)", () => {
  it("places the learner's sandbox on a registered agent, tells the page its machine went away, and starts again on the other with the saved file", async () => {
    const first = await startLesson();
    const placed = await db.session.findUniqueOrThrow({ where: { id: first.id } });
    const hostName = (await db.agent.findUniqueOrThrow({ where: { id: placed.agentId ?? "" } })).name;
    const host = agents.get(hostName) as AgentProcess;
    expect(placed.agentUrl).toBe(host.url);
    expect(await host.statusOf(placed.sandboxId ?? "")).toBe("ready");

    // The learner saves a file from the editor: the control plane keeps a copy.
    const page = await sandboxChannel(first.id, first.cookie);
    const written = await request<{ status: string }>(page, "files:write", { path: "notes.txt", content: "kept across machines\n" });
    expect(written.status).toBe("written");
    await waitUntil("the saved file is kept", async () => (await db.savedFile.count({ where: { path: "notes.txt" } })) === 1);

    const told = new Promise<{ status: SandboxStatus; afterMs: number }>((resolve) => {
      page.on("sandbox:status", (status: SandboxStatus) => {
        if (status.state === "gone") resolve({ status, afterMs: Date.now() - killedAt });
      });
    });
    const killedAt = Date.now();
    host.child.kill("SIGKILL");
    const { status, afterMs } = await told;
    expect(status.message).toBe(MACHINE_WENT_AWAY);
    // Silent for AGENT_DOWN_AFTER_MS since its last heartbeat (at most one interval before the kill), then one sweep and one look-up.
    expect(afterMs).toBeLessThan(AGENT_DOWN_AFTER_MS + 5_000);
    console.info(JSON.stringify({ event: "test.machine_went_away_seen", afterMs }));
    expect(await db.session.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ state: "gone", failure: MACHINE_WENT_AWAY });
    expect((await db.agent.findUniqueOrThrow({ where: { name: hostName } })).state).toBe("down");

    // One click: a new sandbox, on the machine that is left, with the file restored.
    const again = await startLesson(first.cookie);
    const replaced = await db.session.findUniqueOrThrow({ where: { id: again.id } });
    const other = [...agents.entries()].find(([name]) => name !== hostName)?.[1] as AgentProcess;
    expect(replaced.agentUrl).toBe(other.url);
    const restored = await request<{ content: string }>(await sandboxChannel(again.id, again.cookie), "files:read", { path: "notes.txt" });
    expect(restored.content).toBe("kept across machines\n");

    // The machine comes back (same fleet, same credential): it adopts its old sandbox, reports again, and the control plane removes it.
    const returned = await startAgentProcess({ fleet: host.fleet, secret }, Number(new URL(host.url).port), agentEnv.get(hostName));
    agents.set(hostName, returned);
    await waitUntil(
      "the returned agent is up",
      async () => (await db.agent.findUniqueOrThrow({ where: { name: hostName } })).state === "up",
    );
    await waitUntil(
      "the sandbox its learner left is removed",
      async () => (await returned.statusOf(placed.sandboxId ?? "")) === "http 404",
    );
  });
});
