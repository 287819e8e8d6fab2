/**
 * The cluster's balancer: Debian's real HAProxy on the generated
 * configuration, in front of two real HTTP servers that each serve
 * socket.io, as the web nodes do. It spreads requests and WebSocket
 * connections over both, passes preview hosts through, takes a node out
 * while its /healthz fails (closing the sockets it held) and back in when
 * it recovers.
 */
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server as HttpServer, get as httpGet, type IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Server } from "socket.io";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitUntil } from "../lib/drydock-server";
import { type Balancer, prepareBalancer } from "./haproxy";

const BALANCER_PORT = 5660;
const NODES = [
  { name: "web1", port: 5661 },
  { name: "web2", port: 5662 },
];

interface FakeNode {
  name: string;
  healthy: boolean;
  http: HttpServer;
  io: Server;
}

/** A web node's outline: /healthz that can be made to fail, /who naming the node and echoing what the balancer forwarded, and socket.io. */
async function startNode(name: string, port: number): Promise<FakeNode> {
  const http = createServer();
  const node: FakeNode = { name, healthy: true, http, io: new Server(http) };
  http.on("request", (req, res) => {
    if (req.url?.startsWith("/socket.io/")) return;
    if (req.url === "/healthz") {
      res.writeHead(node.healthy ? 200 : 503, { "content-type": "application/json" });
      return res.end(JSON.stringify({ ok: node.healthy, node: name }));
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ node: name, host: req.headers.host, forwardedFor: req.headers["x-forwarded-for"] }));
  });
  node.io.on("connection", (socket) => socket.on("who", (ack: (name: string) => void) => ack(name)));
  http.listen(port, "127.0.0.1");
  await once(http, "listening");
  return node;
}

let dir: string;
let balancer: Balancer;
let nodes: FakeNode[];
const sockets: Socket[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cl-balancer-"));
  nodes = await Promise.all(NODES.map((node) => startNode(node.name, node.port)));
  balancer = await prepareBalancer({
    dir,
    logFile: join(dir, "balancer.log"),
    port: BALANCER_PORT,
    servers: NODES,
    healthPath: "/healthz",
  });
  await balancer.start();
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await balancer?.stop();
  for (const node of nodes ?? []) {
    await node.io.close();
  }
  await rm(dir, { recursive: true, force: true });
});

const states = () => balancer.serverStates();
const waitForStates = (wanted: Record<string, string>) =>
  waitUntil(`the balancer sees ${JSON.stringify(wanted)}`, async () => {
    const now = await states();
    return Object.entries(wanted).every(([name, state]) => now[name] === state);
  });

/** GET through the balancer with node:http, which (unlike fetch) lets the test choose the Host header, as a preview's browser would send it. */
async function get(path: string, host?: string): Promise<{ node: string; host: string; forwardedFor?: string }> {
  const request = httpGet({ host: "127.0.0.1", port: BALANCER_PORT, path, headers: host ? { host } : {}, agent: false });
  const [response] = (await once(request, "response")) as [IncomingMessage];
  let body = "";
  for await (const chunk of response) body += chunk;
  return JSON.parse(body);
}

/** A socket.io client through the balancer, WebSocket only as Drydock's clients are; resolves with the node that answered. */
async function connect(): Promise<{ socket: Socket; node: string }> {
  const socket = io(balancer.url, { transports: ["websocket"], reconnection: false, forceNew: true });
  sockets.push(socket);
  await new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(undefined));
    socket.once("connect_error", reject);
  });
  expect(socket.io.engine.transport.name).toBe("websocket");
  const node = await socket.timeout(5_000).emitWithAck("who");
  return { socket, node: node as string };
}

describe("the cluster's balancer (real HAProxy)", () => {
  it("checks both nodes' health and sends requests to both", async () => {
    await waitForStates({ web1: "UP", web2: "UP" });
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) seen.add((await get("/who")).node);
    expect([...seen].sort()).toEqual(["web1", "web2"]);
  });

  it("passes a preview host through unchanged and tells the node the client's address", async () => {
    const answer = await get("/who", "8080-abc123.preview.localhost");
    expect(answer.host).toBe("8080-abc123.preview.localhost");
    expect(answer.forwardedFor).toBe("127.0.0.1");
  });

  it("upgrades socket.io to WebSocket and puts the second long connection on the other node", async () => {
    const first = await connect();
    const second = await connect();
    expect([first.node, second.node].sort()).toEqual(["web1", "web2"]);
  });

  it("takes a node out while its /healthz fails, closing its sockets, and brings it back when it recovers", async () => {
    const held = await connect();
    const failing = nodes.find((node) => node.name === held.node) as FakeNode;
    const other = nodes.find((node) => node !== failing) as FakeNode;
    const dropped = new Promise((resolve) => held.socket.once("disconnect", resolve));
    failing.healthy = false;
    await waitForStates({ [failing.name]: "DOWN", [other.name]: "UP" });
    // on-marked-down shutdown-sessions: the tunnel to the node taken out is closed, so its client can reconnect elsewhere.
    await dropped;
    for (let i = 0; i < 6; i++) expect((await get("/who")).node).toBe(other.name);
    expect((await connect()).node).toBe(other.name);

    failing.healthy = true;
    await waitForStates({ [failing.name]: "UP", [other.name]: "UP" });
    // leastconn: the node that came back holds the fewest connections, so the next socket goes to it.
    expect((await connect()).node).toBe(failing.name);
  });
});
