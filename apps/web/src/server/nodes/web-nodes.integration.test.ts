import { randomBytes } from "node:crypto";
import { createServer, type Server as HttpServer, request as httpRequest } from "node:http";
import { type AddressInfo, connect, createServer as createTcpServer, type Socket as TcpSocket } from "node:net";
import { type AttendeeState, type DashboardSnapshot, type SeatRow, WORKSHOP_NAMESPACE } from "@drydock/protocol";
import { createLogger, withFields } from "@drydock/server-kit";
import type { Server } from "socket.io";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitUntil } from "../../../../../scripts/lib/drydock-server";
import { type RunningRedis, startRedis } from "../../../../../test-support/redis";
import { rateLimiterContract } from "../budget/testing/rate-limiter-contract";
import { parseWebConfig } from "../config";
import type { WebContext } from "../context";
import { createWebContext } from "../create-context";
import { mintGrant } from "../gateways/preview-grant";
import { previewHostname } from "../gateways/preview-host";
import { servePreviews } from "../gateways/preview-server";
import { serveRequests } from "../http/serve-requests";
import { VISITOR_COOKIE } from "../learners/visitor";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { pauseRoom, resumeRoom } from "../workshops/room-control";
import { type SeededInstructor, seedInstructor, seedSeat, seedWorkshop } from "../workshops/testing/workshop-fixtures";
import { RedisRateLimiter } from "./redis-rate-limiter";
import { serveSockets } from "./socket-server";

/**
 * Two web nodes in this process, each built as server.ts builds one (its
 * context, its socket.io server with every gateway, its HTTP pipeline and
 * preview gateway; a stub stands for Next), sharing one SQLite database and a
 * real Redis, driven by real socket.io clients and real HTTP. Each test
 * connects to one node and acts on the other.
 */
const REDIS_PORT = 5601;
const JOINS_PER_ADDRESS = 4;
const secret = randomBytes(32).toString("hex");

interface WebNodeUnderTest {
  ctx: WebContext;
  base: string;
  io: Server;
  http: HttpServer;
  logLines: Array<Record<string, unknown>>;
}

let redis: RunningRedis;
let database: TestDatabase;
let nodes: [WebNodeUnderTest, WebNodeUnderTest];
let owner: SeededInstructor;
let workshop: Awaited<ReturnType<typeof seedWorkshop>>;
const sockets: Socket[] = [];

async function startWebNode(name: string): Promise<WebNodeUnderTest> {
  const logLines: Array<Record<string, unknown>> = [];
  const config = parseWebConfig({
    DRYDOCK_AGENT_SECRET: secret,
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    WEB_NODE_ID: name,
    WEB_HOST: "127.0.0.1",
    WEB_PORT: "0",
    JOINS_PER_ADDRESS_PER_MINUTE: String(JOINS_PER_ADDRESS),
  });
  const log = withFields(
    createLogger("web", (line) => logLines.push(JSON.parse(line))),
    { node: name },
  );
  const ctx = await createWebContext(config, log);
  const http = createServer();
  const socketServer = serveSockets(http, ctx);
  serveRequests(http, ctx, (_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("served by the app"));
  servePreviews(http, ctx);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return { ctx, base, io: socketServer, http, logLines };
}

async function stopWebNode(node: WebNodeUnderTest): Promise<void> {
  await node.io.close();
  node.ctx.rooms.close();
  await node.ctx.node.close();
  await node.ctx.db.$disconnect();
}

function roomSocket(node: { base: string }, cookie: string): Socket {
  const socket = io(`${node.base}${WORKSHOP_NAMESPACE}`, {
    auth: { workshopId: workshop.id },
    extraHeaders: { cookie, origin: node.base },
    transports: ["websocket"],
  });
  sockets.push(socket);
  return socket;
}

/** Resolves with the first `event` whose payload satisfies `test`; the listener is registered before anything is triggered. */
function next<T>(socket: Socket, event: string, test: (payload: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const listener = (payload: T) => {
      if (!test(payload)) return;
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function send(base: string, path: string, options: { method?: string; host?: string; from?: string } = {}): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: options.method ?? "GET",
        localAddress: options.from,
        headers: { origin: base, host: options.host ?? url.host, "content-type": "application/json" },
      },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => {
          body += chunk.toString("utf8");
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end(options.method === "POST" ? "{}" : undefined);
  });
}

const health = async (node: WebNodeUnderTest) => {
  const answer = await send(node.base, "/healthz");
  return { status: answer.status, body: JSON.parse(answer.body) as { ok: boolean; node: string; failed?: Record<string, string> } };
};

let addresses = 0;
/** A loopback address no other request used: each is its own client for the rate limits. */
function freshAddress(): string {
  addresses += 1;
  return `127.0.${Math.floor(addresses / 250) + 60}.${(addresses % 250) + 2}`;
}

async function joinsUntilRefused(from: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < JOINS_PER_ADDRESS + 1; i++) {
    // Alternates the nodes, as a balancer would.
    const answer = await send(nodes[i % 2]?.base ?? "", "/api/workshops/join", { method: "POST", from });
    statuses.push(answer.status);
  }
  return statuses;
}

async function seatedAttendee(name: string): Promise<{ seatId: string; cookie: string }> {
  const seat = await seedSeat(database.db, workshop.id, name);
  return { seatId: seat.id, cookie: `${VISITOR_COOKIE}=${seat.visitorId}` };
}

/** A grant for a preview host, and the path that trades it there. */
async function grantPath(): Promise<{ host: string; path: string }> {
  const host = previewHostname({ sessionId: `ses_${randomBytes(12).toString("hex")}`, port: 8080 }, "preview.localhost");
  const grant = await mintGrant(secret, host);
  return { host, path: `/__drydock/grant?token=${encodeURIComponent(grant.token)}&nonce=${grant.nonce}&path=%2F` };
}

interface Balancer {
  base: string;
  /** Sends new connections to this web node. */
  route(to: WebNodeUnderTest): void;
  /** Drops every connection it carries, as a network blip or a balancer's reload does. */
  cut(): void;
  close(): Promise<void>;
}

/** A TCP balancer in one: what browsers see as Drydock's one address, in front of whichever node it routes to. */
async function startBalancer(to: WebNodeUnderTest): Promise<Balancer> {
  let target = new URL(to.base);
  const carried = new Set<TcpSocket>();
  const server = createTcpServer((browser) => {
    const node = connect(Number(target.port), target.hostname);
    for (const [from, other] of [
      [browser, node],
      [node, browser],
    ] as const) {
      carried.add(from);
      from.on("close", () => carried.delete(from));
      from.on("error", () => other.destroy());
      from.pipe(other);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    route(node) {
      target = new URL(node.base);
    },
    cut() {
      for (const socket of carried) socket.destroy();
    },
    close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of carried) socket.destroy();
      return closed;
    },
  };
}

beforeAll(async () => {
  redis = await startRedis({ port: REDIS_PORT });
  database = await createTestDatabase();
  owner = await seedInstructor(database.db);
  workshop = await seedWorkshop(database.db, owner);
  nodes = [await startWebNode("nd-web-1"), await startWebNode("nd-web-2")];
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await Promise.all((nodes ?? []).map(stopWebNode));
  await database?.remove();
  await redis?.stop();
});

describe("RedisRateLimiter", () => {
  rateLimiterContract((limit, windowMs) => {
    const limiter = nodes[0].ctx.node.rateLimiter(`contract-${randomBytes(4).toString("hex")}`, limit, windowMs);
    expect(limiter).toBeInstanceOf(RedisRateLimiter);
    return limiter;
  });
});

describe("two web nodes sharing one Redis", () => {
  it("answer /healthz with their name, before the app and without logging it", async () => {
    const before = nodes[0].logLines.length;
    expect(await health(nodes[0])).toEqual({ status: 200, body: { ok: true, node: "nd-web-1" } });
    expect(await health(nodes[1])).toEqual({ status: 200, body: { ok: true, node: "nd-web-2" } });
    expect(nodes[0].logLines.length).toBe(before);
  });

  it("push a change made on node 1 to an attendee whose room socket is on node 2", async () => {
    const ada = await seatedAttendee("Ada");
    const socket = roomSocket(nodes[1], ada.cookie);
    await next<AttendeeState>(socket, "attendee:state");
    const paused = next<AttendeeState>(socket, "attendee:state", (state) => state.paused);
    const current = await database.db.workshop.findUniqueOrThrow({ where: { id: workshop.id } });
    await pauseRoom(nodes[0].ctx, current);
    expect((await paused).paused).toBe(true);
    const resumed = next<AttendeeState>(socket, "attendee:state", (state) => !state.paused);
    await resumeRoom(nodes[0].ctx, await database.db.workshop.findUniqueOrThrow({ where: { id: workshop.id } }));
    expect((await resumed).paused).toBe(false);
  });

  it("carry a room broadcast sent on node 1 to the seat's page on node 2", async () => {
    const bob = await seatedAttendee("Bob");
    const socket = roomSocket(nodes[1], bob.cookie);
    await next(socket, "attendee:state");
    const reset = next(socket, "attendee:reset");
    nodes[0].ctx.rooms.seatReset(bob.seatId);
    await reset;
  });

  it("show an instructor on node 1 which attendees are online on node 2, and when they leave", async () => {
    const carol = await seatedAttendee("Carol");
    const instructor = roomSocket(nodes[0], owner.cookie);
    const snapshot = await next<DashboardSnapshot>(instructor, "dashboard:snapshot");
    expect(snapshot.seats.find((row) => row.id === carol.seatId)?.online).toBe(false);

    const online = next<SeatRow[]>(instructor, "dashboard:seats", (rows) => rows.some((row) => row.id === carol.seatId && row.online));
    const attendee = roomSocket(nodes[1], carol.cookie);
    await online;
    expect((await nodes[0].ctx.rooms.onlineSeats(workshop.id)).has(carol.seatId)).toBe(true);

    const offline = next<SeatRow[]>(instructor, "dashboard:seats", (rows) => rows.some((row) => row.id === carol.seatId && !row.online));
    attendee.disconnect();
    await offline;
  });

  it("keep an emit to one socket off Redis, while a room broadcast goes through its stream", async () => {
    const state = nodes[0].ctx.node.redis?.state;
    if (!state) throw new Error("node 1 has no Redis");
    const streamLength = () => state.xLen("drydock:socket.io");
    const eve = await seatedAttendee("Eve");
    const before = await streamLength();
    const socket = roomSocket(nodes[1], eve.cookie);
    await next(socket, "attendee:state");
    expect(await streamLength()).toBe(before);
    const reset = next(socket, "attendee:reset");
    nodes[1].ctx.rooms.seatReset(eve.seatId);
    await reset;
    expect(await streamLength()).toBe(before + 1);
  });

  it("recover a page's socket on the other node after its connection dropped: same socket, rooms kept, the broadcast it missed delivered", async () => {
    const fay = await seatedAttendee("Fay");
    const balancer = await startBalancer(nodes[1]);
    try {
      const socket = roomSocket(balancer, fay.cookie);
      await next(socket, "attendee:state");
      // A room broadcast gives the page its first offset in the stream: where recovery resumes from.
      const first = next(socket, "attendee:reset");
      nodes[0].ctx.rooms.seatReset(fay.seatId);
      await first;
      const id = socket.id;

      const dropped = next(socket, "disconnect");
      balancer.route(nodes[0]);
      balancer.cut();
      await dropped;
      const missed = next(socket, "attendee:reset");
      nodes[0].ctx.rooms.seatReset(fay.seatId);
      await next(socket, "connect");
      await missed;
      expect(socket.recovered).toBe(true);
      expect(socket.id).toBe(id);
      const held = nodes[0].io.of(WORKSHOP_NAMESPACE).sockets.get(id ?? "");
      expect(held?.data).toMatchObject({ kind: "attendee", seatId: fay.seatId });
      expect(held?.rooms.has(`seat:${fay.seatId}`)).toBe(true);
    } finally {
      await balancer.close();
    }
  });

  it("answer an instructor's action on one node about a seat whose page is on the other", async () => {
    const gus = await seatedAttendee("Gus");
    const attendee = roomSocket(nodes[1], gus.cookie);
    await next(attendee, "attendee:state");
    const instructor = roomSocket(nodes[0], owner.cookie);
    await next(instructor, "dashboard:snapshot");
    const answer = await instructor.timeout(10_000).emitWithAck("seat:reset", { seatId: gus.seatId });
    expect(answer).toEqual({ ok: false, error: expect.stringContaining("nothing to reset") });
  });

  it("count a client's joins across both nodes, refusing the one over the limit wherever it lands", async () => {
    const statuses = await joinsUntilRefused(freshAddress());
    expect(statuses).toEqual([...Array(JOINS_PER_ADDRESS).fill(200), 429]);
  });

  it("trade a preview grant once: after node 1 traded it, node 2 refuses it", async () => {
    const { host, path } = await grantPath();
    const first = await send(nodes[0].base, path, { host });
    expect(first.status).toBe(303);
    expect(String(first.headers["set-cookie"])).toContain("drydock_preview=");
    const replay = await send(nodes[1].base, path, { host });
    expect(replay.status).not.toBe(303);
    expect(replay.headers["set-cookie"]).toBeUndefined();
  });

  it("survive a Redis restart: meanwhile /healthz says why and requests are served; afterwards all of it works across nodes again", async () => {
    const dan = await seatedAttendee("Dan");
    const attendee = roomSocket(nodes[1], dan.cookie);
    await next(attendee, "attendee:state");

    await redis.restart({
      whileDown: async () => {
        await waitUntil("node 1 reports Redis down", async () => (await health(nodes[0])).status === 503, 30_000);
        const down = await health(nodes[0]);
        expect(down.body).toMatchObject({ ok: false, node: "nd-web-1", failed: { redis: expect.any(String) } });
        // The door counts in the node's memory meanwhile: requests are answered, not held.
        expect((await send(nodes[0].base, "/api/workshops/join", { method: "POST", from: freshAddress() })).status).toBe(200);
        expect((await send(nodes[1].base, "/")).body).toBe("served by the app");
        // A grant cannot be proven unspent while Redis is away: it is refused, never traded twice.
        const { host, path } = await grantPath();
        expect((await send(nodes[0].base, path, { host })).status).not.toBe(303);
      },
    });

    for (const node of nodes)
      await waitUntil(`${node.ctx.node.id} reports healthy again`, async () => (await health(node)).status === 200, 60_000);
    const reset = next(attendee, "attendee:reset");
    // The adapter's subscriber and stream reader reconnect on their own; a broadcast may need a moment to find them.
    const resetAgain = setInterval(() => nodes[0].ctx.rooms.seatReset(dan.seatId), 500);
    await reset.finally(() => clearInterval(resetAgain));

    expect(await joinsUntilRefused(freshAddress())).toEqual([...Array(JOINS_PER_ADDRESS).fill(200), 429]);
    const { host, path } = await grantPath();
    expect((await send(nodes[0].base, path, { host })).status).toBe(303);
    expect((await send(nodes[1].base, path, { host })).status).not.toBe(303);

    const changes = nodes[0].logLines.filter((line) => String(line.event).startsWith("redis."));
    expect(changes.map((line) => [line.event, line.node])).toEqual(
      expect.arrayContaining([
        ["redis.unreachable", "nd-web-1"],
        ["redis.ready", "nd-web-1"],
      ]),
    );
  });
});
