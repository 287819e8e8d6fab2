import { createServer, type Server as HttpServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { agentTunnelUrl } from "@drydock/protocol";
import { createLogger } from "@drydock/server-kit";
import { Server as SocketServer } from "socket.io";
import { io as connectSocket } from "socket.io-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTunnels } from "../../../../sandbox-agent/src/control-plane-tunnel";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { agentDirectory } from "./agent-directory";
import { issueAgent, revokeAgent } from "./agent-registry";
import { socketTransport } from "./agent-route";
import { type AgentTunnels, isAgentTunnelRequest, openAgentTunnels } from "./agent-tunnels";

/**
 * Real parts on loopback: a web node's HTTP server taking tunnels (real
 * SQLite credentials), an agent dialing it (the agent's own tunnel code), and
 * on the agent's side a real HTTP and socket.io server standing for its API.
 */
let db: TestDatabase;
let web: HttpServer;
let webUrl: string;
let tunnels: AgentTunnels;
let agentApi: HttpServer;
let agentPort: number;
let lines: { event: string; [key: string]: unknown }[];
const closers: (() => unknown)[] = [];

const listen = (server: HttpServer) =>
  new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeEach(async () => {
  lines = [];
  const log = createLogger("test", (line) => lines.push(JSON.parse(line)));
  db = await createTestDatabase();
  tunnels = await openAgentTunnels(db.db, log);
  web = createServer((_req, res) => res.writeHead(404).end());
  web.on("upgrade", (req, socket, head) => {
    if (isAgentTunnelRequest(req)) tunnels.accept(req, socket, head);
  });
  webUrl = `http://127.0.0.1:${await listen(web)}`;

  // The agent's API: echoes a request's method, path and body; its socket.io answers "ping" with the sandbox's id.
  agentApi = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => res.writeHead(200).end(`${req.method} ${req.url} ${Buffer.concat(chunks).length}`));
  });
  const sockets = new SocketServer(agentApi);
  sockets.of("/sandbox").on("connection", (socket) => {
    socket.on("ping", (ack: (answer: string) => void) => ack(`pong from ${String(socket.handshake.auth.sandboxId)}`));
  });
  agentPort = await listen(agentApi);
  closers.push(() => sockets.close());
});

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await tunnels.close();
  await new Promise((resolve) => web.close(resolve));
  await new Promise((resolve) => agentApi.close(resolve));
  await db.remove();
});

async function dialingAgent(credential: string) {
  const log = createLogger("agent", (line) => lines.push(JSON.parse(line)));
  const agent = startTunnels({ webNodeUrls: [webUrl], credential, local: { host: "0.0.0.0", port: agentPort }, log });
  closers.push(() => agent.stop());
  return agent;
}

function get(route: { url: string; agent?: import("node:http").Agent }, path: string, body = ""): Promise<string> {
  return new Promise((resolve, reject) => {
    const asked = request(new URL(path, route.url), { method: body ? "POST" : "GET", agent: route.agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    });
    asked.on("error", reject);
    asked.end(body);
  });
}

describe("agent tunnels: an agent with no inbound port, reached through the tunnel it dials", () => {
  it("carries HTTP requests (a 3 MiB body whole) and socket.io to the agent's own server", async () => {
    const { credential } = await issueAgent(db.db, "host-a");
    const agentRow = await db.db.agent.findUniqueOrThrow({ where: { name: "host-a" } });
    await dialingAgent(credential);
    await until(() => tunnels.connected().includes(agentRow.id), "the agent's tunnel");

    const route = agentDirectory({ DRYDOCK_AGENT_SECRET: "s".repeat(32) }, tunnels).route(agentTunnelUrl(agentRow.id));
    expect(await get(route, "/api/sandboxes/sbx_1")).toBe("GET /api/sandboxes/sbx_1 0");
    const big = "x".repeat(3 * 1024 * 1024);
    expect(await get(route, "/upload", big)).toBe(`POST /upload ${big.length}`);

    const socket = connectSocket(`${route.url}/sandbox`, {
      ...socketTransport(route),
      auth: { sandboxId: "sbx_1" },
      transports: ["websocket"],
      forceNew: true,
    });
    closers.push(() => socket.close());
    expect(await socket.timeout(10_000).emitWithAck("ping")).toBe("pong from sbx_1");
    expect(lines.some((line) => line.event === "tunnel.connected")).toBe(true);
  });

  it("carries 150 connections at once over one tunnel (a busy agent's learners), none waiting for another to end", async () => {
    const { credential } = await issueAgent(db.db, "host-d");
    const agentRow = await db.db.agent.findUniqueOrThrow({ where: { name: "host-d" } });
    // This agent answers no request until 150 are open at once: a tunnel capped at HTTP/2's usual 100 streams never gets there.
    const held: (() => void)[] = [];
    agentApi.removeAllListeners("request");
    agentApi.on("request", (_req, res) => {
      held.push(() => res.writeHead(200).end("held"));
      if (held.length === 150) for (const answer of held) answer();
    });
    await dialingAgent(credential);
    await until(() => tunnels.connected().includes(agentRow.id), "the agent's tunnel");
    const route = agentDirectory({ DRYDOCK_AGENT_SECRET: "s".repeat(32) }, tunnels).route(agentTunnelUrl(agentRow.id));
    const answers = await Promise.all(Array.from({ length: 150 }, (_, i) => get(route, `/held/${i}`)));
    expect(answers.filter((answer) => answer === "held")).toHaveLength(150);
  });

  it("is dialed again when the web node drops it, and connections meanwhile wait for it", async () => {
    const { credential } = await issueAgent(db.db, "host-b");
    const agentRow = await db.db.agent.findUniqueOrThrow({ where: { name: "host-b" } });
    await dialingAgent(credential);
    await until(() => tunnels.connected().includes(agentRow.id), "the agent's tunnel");
    const route = agentDirectory({ DRYDOCK_AGENT_SECRET: "s".repeat(32) }, tunnels).route(agentTunnelUrl(agentRow.id));
    expect(await get(route, "/before")).toBe("GET /before 0");

    // The web node's end goes away (as when the node restarts); the agent redials, and a request made at once still arrives.
    const attachedBefore = lines.filter((line) => line.event === "tunnel.attached").length;
    await tunnels.close();
    tunnels = await openAgentTunnels(
      db.db,
      createLogger("test", (line) => lines.push(JSON.parse(line))),
    );
    const reroute = agentDirectory({ DRYDOCK_AGENT_SECRET: "s".repeat(32) }, tunnels).route(agentTunnelUrl(agentRow.id));
    expect(await get(reroute, "/after")).toBe("GET /after 0");
    expect(lines.filter((line) => line.event === "tunnel.attached").length).toBeGreaterThan(attachedBefore);
  });

  it("closes a revoked agent's tunnels when told to, and refuses its redials", async () => {
    const { credential } = await issueAgent(db.db, "host-e");
    const agentRow = await db.db.agent.findUniqueOrThrow({ where: { name: "host-e" } });
    await dialingAgent(credential);
    await until(() => tunnels.connected().includes(agentRow.id), "the agent's tunnel");
    await revokeAgent(db.db, "host-e");
    tunnels.drop(agentRow.id);
    await until(() => lines.some((line) => line.event === "tunnel.failed" && /revoked/.test(String(line.error))), "the refused redial");
    expect(tunnels.connected()).not.toContain(agentRow.id);
  });

  it("refuses a wrong or revoked credential with a 401 the agent logs, and never tunnels it", async () => {
    const { credential } = await issueAgent(db.db, "host-c");
    const [name] = credential.split(".");
    await dialingAgent(`${name}.not-the-secret`);
    await until(() => lines.some((line) => line.event === "tunnel.failed"), "the agent's failure line");
    const failure = lines.find((line) => line.event === "tunnel.failed");
    expect(String(failure?.error)).toMatch(/refused the tunnel \(401: This agent credential is not valid/);
    expect(tunnels.connected()).toEqual([]);
  });

  it("refuses a connection for an agent with no tunnel here, after waiting for one, naming it", async () => {
    await tunnels.close();
    tunnels = await openAgentTunnels(
      db.db,
      createLogger("test", (line) => lines.push(JSON.parse(line))),
      { waitMs: 500 },
    );
    const route = agentDirectory({ DRYDOCK_AGENT_SECRET: "s".repeat(32) }, tunnels).route(agentTunnelUrl("agt_missing"));
    await expect(get(route, "/anything")).rejects.toThrow(/socket hang up|ECONNRESET/);
    const unavailable = lines.find((line) => line.event === "tunnel.unavailable");
    expect(JSON.stringify(unavailable)).toContain("Agent agt_missing has no tunnel to this web node");
  });
});
