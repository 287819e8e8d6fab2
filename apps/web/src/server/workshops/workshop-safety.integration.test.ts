import { randomBytes } from "node:crypto";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { stripVTControlCharacters } from "node:util";
import { BUILT_IN_LESSONS_DIR, loadLessons } from "@drydock/lessons";
import {
  type AttendeeState,
  type DashboardSnapshot,
  MAX_FILES_MESSAGE_BYTES,
  PRESENTER_TARGET,
  SANDBOX_NAMESPACE,
  type SeatRow,
  TERMINAL_NAMESPACE,
  WATCH_NAMESPACE,
  WORKSHOP_NAMESPACE,
} from "@drydock/protocol";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningDrydock, startDrydock, waitUntil } from "../../../../../scripts/lib/drydock-server";
import { type Database, openDatabase } from "../db";
import { newJoinCode } from "./join-code";
import { type SeededInstructor, seedInstructor, seedWorkshop } from "./testing/workshop-fixtures";

/**
 * The workshop's safety rules against a real Drydock: the built web app, a
 * real agent, real sandboxes, real socket.io clients and real HTTP. Instructors
 * and workshops are database rows (their sign-in and forms are another
 * part's); attendees join through /api/workshops/join. The join rate counts
 * per address, so each join comes from a loopback address of its own unless a
 * test floods from one. The tests run in order and share the room.
 */
const fleet = `${process.env.DRYDOCK_TEST_FLEET_PREFIX ?? "test"}-safety-${randomBytes(3).toString("hex")}`;
const LESSON = "commit-a-container";
const JOINS_PER_ADDRESS = 3;
const ROOM_TITLE = "Safety drill: Café";

let drydock: RunningDrydock;
let db: Database;
let owner: SeededInstructor;
let stranger: SeededInstructor;
let room: { id: string; code: string };
let elsewhere: { id: string; code: string };
let ada: Attendee;
let bob: Attendee;
let carol: Attendee;
let adaSession: string;
let firstStep: { id: string; script: string };
const open: Socket[] = [];

interface Attendee {
  seatId: string;
  cookie: string;
  name: string;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: { error?: string; [key: string]: unknown };
}

let addresses = 0;
/** A loopback address no other request used: all of 127.0.0.0/8 reaches the server, and each counts as its own client. */
function freshAddress(): string {
  addresses += 1;
  return `127.0.${Math.floor(addresses / 250) + 1}.${(addresses % 250) + 2}`;
}

/** One HTTP request as a browser on `from` would send it (same origin), the body raw. */
function send(method: string, path: string, options: { body?: string; cookie?: string; from?: string } = {}): Promise<Answer> {
  const url = new URL(drydock.base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path,
        method,
        localAddress: options.from ?? freshAddress(),
        headers: {
          origin: drydock.base,
          ...(options.body === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(options.body) }),
          ...(options.cookie ? { cookie: options.cookie } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: Answer["json"] = {};
          try {
            json = JSON.parse(text);
          } catch {
            // Pages and downloads are not JSON; their text is kept.
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

const join = (body: unknown, options: { from?: string; cookie?: string } = {}) =>
  send("POST", "/api/workshops/join", { body: typeof body === "string" ? body : JSON.stringify(body), ...options });

/** The Cookie header a browser sends after this answer set its cookies. */
function cookiesOf(answer: Answer): string {
  const set = answer.headers["set-cookie"] ?? [];
  return set.map((cookie) => cookie.split(";")[0]).join("; ");
}

async function joinAs(code: string, name: string): Promise<Attendee> {
  const answer = await join({ code, name });
  expect(answer.status, answer.text).toBe(201);
  return { seatId: String(answer.json.seatId), cookie: cookiesOf(answer), name: String(answer.json.name) };
}

function socketTo(namespace: string, auth: Record<string, unknown>, cookie?: string): Socket {
  const socket = io(`${drydock.base}${namespace}`, {
    auth,
    transports: ["websocket"],
    reconnection: false,
    // A connection of its own: sockets sharing one would share its first cookie.
    forceNew: true,
    extraHeaders: { origin: drydock.base, ...(cookie ? { cookie } : {}) },
  });
  open.push(socket);
  return socket;
}

/** Resolves with the socket once connected; rejects with the server's refusal. */
function connected(socket: Socket): Promise<Socket> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

/** The server's refusal of a handshake; fails the test if the socket gets in. */
async function refusal(namespace: string, auth: Record<string, unknown>, cookie?: string): Promise<string> {
  const socket = socketTo(namespace, auth, cookie);
  return connected(socket).then(
    () => {
      socket.close();
      throw new Error(`${namespace} let the socket in with ${JSON.stringify(auth).slice(0, 200)}`);
    },
    (error: Error) => error.message,
  );
}

/** An instructor's dashboard socket, with the snapshot it is sent on connecting. */
async function dashboard(cookie: string, workshopId: string): Promise<{ socket: Socket; snapshot: DashboardSnapshot }> {
  const socket = socketTo(WORKSHOP_NAMESPACE, { workshopId }, cookie);
  const snapshot = new Promise<DashboardSnapshot>((resolve) => socket.once("dashboard:snapshot", resolve));
  await connected(socket);
  return { socket, snapshot: await snapshot };
}

/** An attendee's room socket, with every event it is sent, and its first state. */
async function attendeeRoom(attendee: Attendee, workshopId = room.id) {
  const socket = socketTo(WORKSHOP_NAMESPACE, { workshopId }, attendee.cookie);
  const events: string[] = [];
  const states: AttendeeState[] = [];
  socket.onAny((event: string, payload: unknown) => {
    events.push(event);
    if (event === "attendee:state") states.push(payload as AttendeeState);
  });
  await connected(socket);
  await waitUntil(`${attendee.name} is sent their state`, async () => states.length > 0, 30_000);
  return { socket, events, states };
}

type Ack = { ok: boolean; error?: string; value?: unknown };
const ask = (socket: Socket, event: string, ...args: unknown[]): Promise<Ack> => socket.timeout(60_000).emitWithAck(event, ...args);

/** A terminal of `sessionId`, resolved once its shell prompts. */
async function terminal(sessionId: string, cookie: string): Promise<{ socket: Socket; seen: () => string }> {
  const socket = socketTo(TERMINAL_NAMESPACE, { sessionId, size: { cols: 100, rows: 30 } }, cookie);
  let seen = "";
  socket.on("terminal:output", (data: ArrayBuffer, ack: () => void) => {
    seen += Buffer.from(data).toString("utf8");
    ack();
  });
  await connected(socket);
  await waitUntil("the terminal prompts", async () => stripVTControlCharacters(seen).includes("@sandbox"), 60_000);
  return { socket, seen: () => stripVTControlCharacters(seen) };
}

/** What the server keeps of the room: to compare before and after each attempt that must change nothing. */
async function roomRecord(workshopId: string) {
  const [workshop, seats, messages, hands, takeovers, sessions, steps, checks, commands] = await Promise.all([
    db.workshop.findUniqueOrThrow({ where: { id: workshopId } }),
    db.seat.findMany({ where: { workshopId }, orderBy: { id: "asc" } }),
    db.workshopMessage.findMany({ where: { workshopId }, orderBy: { id: "asc" } }),
    db.helpRequest.findMany({ where: { seat: { workshopId } }, orderBy: { id: "asc" } }),
    db.takeover.findMany({ where: { seat: { workshopId } }, orderBy: { id: "asc" } }),
    db.session.findMany({ where: { workshopId }, orderBy: { id: "asc" } }),
    db.seatStep.findMany({ where: { seat: { workshopId } }, orderBy: [{ seatId: "asc" }, { lessonId: "asc" }, { stepId: "asc" }] }),
    db.checkAttempt.findMany({ where: { seat: { workshopId } }, orderBy: { id: "asc" } }),
    db.commandMark.findMany({ where: { seat: { workshopId } }, orderBy: { id: "asc" } }),
  ]);
  return { workshop, seats, messages, hands, takeovers, sessions, steps, checks, commands };
}

beforeAll(async () => {
  drydock = await startDrydock({
    webPort: Number(process.env.TEST_WEB_PORT ?? 3190),
    agentPort: Number(process.env.TEST_AGENT_PORT ?? 4290),
    fleet,
    env: { POOL_SIZE: "0", JOINS_PER_ADDRESS_PER_MINUTE: String(JOINS_PER_ADDRESS), SANDBOX_IDLE_SECONDS: "600" },
  });
  db = openDatabase(drydock.databaseUrl);
  const lesson = (await loadLessons(BUILT_IN_LESSONS_DIR)).lessons.find((candidate) => candidate.id === LESSON);
  if (!lesson?.steps[0]) throw new Error(`The built-in lesson ${LESSON} is missing`);
  firstStep = { id: lesson.steps[0].id, script: lesson.steps[0].check.script };
  owner = await seedInstructor(db, "Olga Owner");
  stranger = await seedInstructor(db, "Sam Stranger");
  room = await seedWorkshop(db, owner, { title: ROOM_TITLE, code: newJoinCode(), lessonIds: [LESSON], recordTerminals: true });
  elsewhere = await seedWorkshop(db, stranger, { title: "Another room", code: newJoinCode(), lessonIds: [LESSON] });
  ada = await joinAs(room.code, "Ada");
  bob = await joinAs(room.code, "Bob");
  carol = await joinAs(elsewhere.code, "Carol");

  const started = await send("POST", "/api/sessions", {
    body: JSON.stringify({ lessonId: LESSON }),
    cookie: ada.cookie,
    from: "127.0.0.1",
  });
  expect(started.status, started.text).toBe(201);
  adaSession = String(started.json.id);
  // Her own terminal works: the refusals below are about whose it is, not about a sandbox that is not there.
  const own = await terminal(adaSession, ada.cookie);
  own.socket.emit("terminal:input", "echo ada-$((40+2))\r");
  await waitUntil("Ada's command ran", async () => own.seen().includes("ada-42"), 60_000);
  own.socket.close();
});

afterAll(async () => {
  for (const socket of open) socket.close();
  await db?.$disconnect();
  await drydock?.stop();
});

describe("the workshop's safety rules, through the real web app", () => {
  it("never lets an attendee reach the dashboard: attendee view only, every instructor event does nothing, no grid page", async () => {
    const adaRoom = await attendeeRoom(ada);
    expect(await ask(adaRoom.socket, "hand:raise")).toEqual({ ok: true, value: null });
    const adaHand = await db.helpRequest.findFirstOrThrow({ where: { seatId: ada.seatId } });

    const before = await roomRecord(room.id);
    const bobRoom = await attendeeRoom(bob);
    expect(bobRoom.states[0]).toMatchObject({ workshopId: room.id, title: ROOM_TITLE, handRaised: false });
    const attempts: [string, ...unknown[]][] = [
      ["seats:prepare", { count: 2 }],
      ["room:message", { text: "Everyone: go home" }],
      ["room:message", { text: "psst", seatId: ada.seatId }],
      ["room:extend", { minutes: 60 }],
      ["room:extend", { minutes: 60, seatId: bob.seatId }],
      ["room:pause"],
      ["room:resume"],
      ["room:state", { state: "open" }],
      ["room:end"],
      ["room:present", { on: true }],
      ["seat:reset", { seatId: ada.seatId }],
      ["seat:detail", { seatId: ada.seatId }],
      ["seat:file", { seatId: ada.seatId, path: "/etc/hostname" }],
      ["hand:claim", { handId: adaHand.id }],
      ["hand:resolve", { handId: adaHand.id }],
    ];
    const answers: Record<string, Ack[]> = {};
    for (const [event, ...args] of attempts) {
      bobRoom.socket.emit(event, ...args, (answer: Ack) => {
        answers[event] = [...(answers[event] ?? []), answer];
      });
    }
    // An attendee's own event, acknowledged after all of the above reached the server (a socket's events arrive in order).
    expect(await ask(bobRoom.socket, "hand:lower")).toEqual({ ok: true, value: null });
    for (const [event, replies] of Object.entries(answers)) {
      for (const reply of replies) expect(reply.ok, `${event} was answered ${JSON.stringify(reply)}`).toBe(false);
    }
    expect(bobRoom.events.filter((event) => event.startsWith("dashboard:"))).toEqual([]);
    expect(bobRoom.events.every((event) => event === "attendee:state")).toBe(true);
    const after = await roomRecord(room.id);
    expect(after).toEqual(before);
    expect(bobRoom.socket.connected).toBe(true);

    const page = await send("GET", `/instructor/workshops/${room.id}`, { cookie: bob.cookie });
    expect(page.status).toBe(307);
    expect(page.headers.location).toMatch(/^\/instructor\/login\?next=/);
    expect(page.text).not.toContain(ROOM_TITLE);
    expect((await send("GET", `/api/instructor/workshops/${room.id}`, { cookie: bob.cookie })).status).toBe(401);
    const stateChange = await send("POST", `/api/instructor/workshops/${room.id}/state`, {
      body: JSON.stringify({ state: "ended" }),
      cookie: bob.cookie,
    });
    expect(stateChange.status).toBe(401);
    expect((await db.workshop.findUniqueOrThrow({ where: { id: room.id } })).state).toBe("running");
    // Still nothing answered yes, and nothing changed, once every request above had time to finish.
    for (const replies of Object.values(answers)) expect(replies.every((reply) => !reply.ok)).toBe(true);
    expect(await roomRecord(room.id)).toEqual(before);
  });

  it("never lets an attendee reach another attendee's seat, terminal, files or recording", async () => {
    // The instructor may watch Ada: what Bob is refused exists and is reachable.
    const watcher = socketTo(WATCH_NAMESPACE, { workshopId: room.id, target: ada.seatId, mode: "read" }, owner.cookie);
    await connected(watcher);
    watcher.close();
    const sandbox = socketTo(SANDBOX_NAMESPACE, { sessionId: adaSession }, ada.cookie);
    await connected(sandbox);
    sandbox.close();

    for (const mode of ["read", "write"]) {
      expect(await refusal(WATCH_NAMESPACE, { workshopId: room.id, target: ada.seatId, mode }, bob.cookie)).toBe(
        "Refused: an attendee sees only their own terminal.",
      );
      expect(await refusal(WATCH_NAMESPACE, { workshopId: room.id, target: bob.seatId, mode }, bob.cookie)).toMatch(/^Refused: /);
      expect(await refusal(WATCH_NAMESPACE, { workshopId: room.id, target: PRESENTER_TARGET, mode }, bob.cookie)).toMatch(
        /^Refused: only the instructors' shared terminal can be watched, and only while they present\.$/,
      );
      // Carol sits elsewhere: Ada's seat is not hers to watch either.
      expect(await refusal(WATCH_NAMESPACE, { workshopId: room.id, target: ada.seatId, mode }, carol.cookie)).toMatch(
        /^Refused: this browser has no seat in that workshop/,
      );
    }
    for (const namespace of [TERMINAL_NAMESPACE, SANDBOX_NAMESPACE]) {
      for (const cookie of [bob.cookie, carol.cookie, undefined]) {
        expect(await refusal(namespace, { sessionId: adaSession }, cookie)).toMatch(/^Refused: /);
      }
    }
    expect(await db.takeover.count()).toBe(0);

    const recording = `/api/workshops/${room.id}/seats/${ada.seatId}/recording`;
    await waitUntil("Ada's terminal is recorded", async () => (await send("GET", recording, { cookie: owner.cookie })).status === 200);
    for (const path of [
      recording,
      `/api/workshops/${room.id}/report.csv`,
      `/api/workshops/${room.id}/report.json`,
      `/instructor/workshops/${room.id}/seats/${ada.seatId}/recording`,
    ]) {
      for (const cookie of [bob.cookie, ada.cookie, carol.cookie]) {
        const refused = await send("GET", path, { cookie });
        expect([404, 307], path).toContain(refused.status);
        if (path.startsWith("/api/")) expect(refused.status).toBe(404);
        expect(refused.text).not.toContain("ada-42");
        expect(refused.text).not.toContain("Ada,");
      }
    }
  });

  it("never lets an instructor reach a workshop they do not run", async () => {
    const carolRoom = await attendeeRoom(carol, elsewhere.id);
    expect(await ask(carolRoom.socket, "hand:raise")).toEqual({ ok: true, value: null });
    const carolHand = await db.helpRequest.findFirstOrThrow({ where: { seatId: carol.seatId } });
    const before = await roomRecord(elsewhere.id);

    expect(await refusal(WORKSHOP_NAMESPACE, { workshopId: elsewhere.id }, owner.cookie)).toMatch(
      /^Refused: this browser has no seat in that workshop, nor runs it\./,
    );
    for (const mode of ["read", "write"]) {
      expect(await refusal(WATCH_NAMESPACE, { workshopId: elsewhere.id, target: carol.seatId, mode }, owner.cookie)).toMatch(
        /^Refused: this browser has no seat in that workshop, nor runs it\./,
      );
      // Through the workshop they do run, a seat of another is no seat at all.
      expect(await refusal(WATCH_NAMESPACE, { workshopId: room.id, target: carol.seatId, mode }, owner.cookie)).toBe(
        "Refused: No such seat in this workshop.",
      );
    }

    const api = `/api/instructor/workshops/${elsewhere.id}`;
    const json = (value: unknown) => JSON.stringify(value);
    const attempts: [string, string, string?][] = [
      ["GET", api],
      ["PUT", api, json({ title: "Mine now" })],
      ["DELETE", api],
      ["POST", `${api}/state`, json({ state: "ended" })],
      ["POST", `${api}/instructors`, json({ email: "olga@example.test" })],
      ["DELETE", `${api}/instructors/${stranger.id}`],
      ["GET", `/api/workshops/${elsewhere.id}/report.csv`],
      ["GET", `/api/workshops/${elsewhere.id}/report.json`],
      ["GET", `/api/workshops/${elsewhere.id}/seats/${carol.seatId}/recording`],
      ["GET", `/api/workshops/${room.id}/seats/${carol.seatId}/recording`],
      ["GET", `/instructor/workshops/${elsewhere.id}`],
    ];
    for (const [method, path, body] of attempts) {
      const answer = await send(method, path, { cookie: owner.cookie, ...(body ? { body } : {}) });
      expect(answer.status, `${method} ${path}: ${answer.text.slice(0, 200)}`).toBe(404);
      expect(answer.text).not.toContain("Another room");
    }
    // The same routes do answer the instructor who runs it.
    expect((await send("GET", api, { cookie: stranger.cookie })).status).toBe(200);
    expect((await send("GET", `/api/workshops/${elsewhere.id}/report.csv`, { cookie: stranger.cookie })).status).toBe(200);

    const { socket } = await dashboard(owner.cookie, room.id);
    const own = await ask(socket, "seat:detail", { seatId: ada.seatId });
    expect(own.ok, own.error).toBe(true);
    expect(own.value).toMatchObject({ seatId: ada.seatId, sessionId: adaSession });
    const noSuchSeat = { ok: false, error: "No such seat in this workshop." };
    expect(await ask(socket, "seat:detail", { seatId: carol.seatId })).toEqual(noSuchSeat);
    expect(await ask(socket, "seat:file", { seatId: carol.seatId, path: "/etc/hostname" })).toEqual(noSuchSeat);
    expect(await ask(socket, "seat:reset", { seatId: carol.seatId })).toEqual(noSuchSeat);
    expect(await ask(socket, "room:message", { text: "hello from elsewhere", seatId: carol.seatId })).toEqual(noSuchSeat);
    expect(await ask(socket, "room:extend", { minutes: 30, seatId: carol.seatId })).toEqual(noSuchSeat);
    const noSuchHand = { ok: false, error: "No such raised hand in this workshop." };
    expect(await ask(socket, "hand:claim", { handId: carolHand.id })).toEqual(noSuchHand);
    expect(await ask(socket, "hand:resolve", { handId: carolHand.id })).toEqual(noSuchHand);
    expect(await roomRecord(elsewhere.id)).toEqual(before);
    expect(carolRoom.events.every((event) => event === "attendee:state")).toBe(true);
  });

  it("answers bad input clearly, loses nothing, and keeps serving", async () => {
    const unknown = await join({ code: "ZZZZZZ", name: "Dora" });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toMatch(/^No workshop has the code "ZZZZZZ"\. Check it with your instructor/);
    const ended = await seedWorkshop(db, owner, { title: "Yesterday's", code: newJoinCode(), state: "ended", endedAt: new Date() });
    const endedAnswer = await join({ code: ended.code, name: "Dora" });
    expect(endedAnswer.status).toBe(410);
    expect(endedAnswer.json.error).toBe(`"Yesterday's" has ended; joining is closed.`);
    const draft = await seedWorkshop(db, owner, { title: "Next week's", code: newJoinCode(), state: "draft" });
    const draftAnswer = await join({ code: draft.code.toLowerCase(), name: "Dora" });
    expect(draftAnswer.status).toBe(403);
    expect(draftAnswer.json.error).toMatch(/^"Next week's" is not open for joining yet\./);
    const badRejoin = await send("POST", "/api/workshops/rejoin", { body: JSON.stringify({ code: "NOTACODE12" }) });
    expect(badRejoin.status).toBe(404);
    expect(badRejoin.json.error).toMatch(/^No seat has this rejoin code\./);

    const zoe = await joinAs(room.code, "Zoë Ünal");
    for (const twin of ["zoe unal", "ZOË  ÜNAL", " Zoe Unal "]) {
      const duplicate = await join({ code: room.code, name: twin });
      expect(duplicate.status, twin).toBe(409);
      expect(duplicate.json.error).toBe(
        `Someone in this workshop already goes by "${twin.replace(/\s+/g, " ").trim()}". Add an initial or a surname so the room can tell you apart.`,
      );
    }
    const long = await join({ code: room.code, name: "x".repeat(41) });
    expect(long.status).toBe(400);
    expect(long.json.error).toBe("A name holds at most 40 characters; yours has 41. Shorten it.");
    const empty = await join({ code: room.code, name: "\u0000\u200b  \u0007" });
    expect(empty.status).toBe(400);
    expect(empty.json.error).toBe("Enter the name the room will see you by.");

    const markupName = `<img src=x onerror="alert(1)">&amp;`;
    const markup = await joinAs(room.code, markupName);
    expect(markup.name).toBe(markupName);
    const controlled = await joinAs(room.code, "Eve\u0000\u0007 \u200bMallory\u001b[31m\r\n");
    expect(controlled.name).toBe("Eve Mallory[31m");
    const stored = await db.seat.findUniqueOrThrow({ where: { id: markup.seatId } });
    expect(stored.name).toBe(markupName);
    const page = await send("GET", `/instructor/workshops/${room.id}/seats/${markup.seatId}/recording`, { cookie: owner.cookie });
    expect(page.status).toBe(200);
    expect(page.text).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;amp;");
    expect(page.text).not.toContain("<img src=x");

    for (const [body, status, error] of [
      ["not json at all", 400, /^The body is not JSON\. Send \{"code"/],
      ['{"code": "AB', 400, /^The body is not JSON\./],
      [JSON.stringify({ code: room.code, name: "y".repeat(100_000) }), 413, /^The body is too large\./],
      [JSON.stringify([room.code, "Frank"]), 404, /^No workshop has the code ""/],
      [JSON.stringify({ code: 42, name: ["Frank"] }), 404, /^No workshop has the code ""/],
      ["", 400, /^The body is not JSON\./],
    ] as const) {
      const answer = await join(body);
      expect(answer.status, body.slice(0, 40)).toBe(status);
      expect(answer.json.error).toMatch(error);
    }

    const small = await seedWorkshop(db, owner, { title: "Tiny room", code: newJoinCode(), capacity: 1 });
    await joinAs(small.code, "First");
    const full = await join({ code: small.code, name: "Second" });
    expect(full.status).toBe(409);
    expect(full.json.error).toBe(`"Tiny room" is full: all 1 seats are taken. Ask your instructor to raise its capacity.`);

    const flooder = freshAddress();
    for (let attempt = 0; attempt < JOINS_PER_ADDRESS; attempt++) {
      expect((await join({ code: "ZZZZZZ", name: "Flood" }, { from: flooder })).status).toBe(404);
    }
    const limited = await join({ code: room.code, name: "Flood" }, { from: flooder });
    expect(limited.status).toBe(429);
    expect(limited.json.error).toMatch(/^Too many joins from your address in the last minute\. Try again in \d+ s\.$/);
    const retryAfter = Number(limited.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await db.seat.count({ where: { name: "Flood" } })).toBe(0);

    // Malformed handshakes: refused with a reason, never let in.
    for (const auth of [{}, { workshopId: 42 }, { workshopId: "" }, { workshopId: "w".repeat(200_000) }, { workshopId: ["x"] }]) {
      expect(await refusal(WORKSHOP_NAMESPACE, auth, owner.cookie)).toBe("Refused: the handshake names no workshop.");
    }
    for (const auth of [
      { workshopId: room.id, target: ada.seatId },
      { workshopId: room.id, target: ada.seatId, mode: "admin" },
      { workshopId: room.id, target: { $ne: null }, mode: "read" },
      { workshopId: room.id, target: ada.seatId, mode: "read", size: { cols: "wide", rows: -1 } },
    ]) {
      expect(await refusal(WATCH_NAMESPACE, auth, owner.cookie)).toBe("Refused: the handshake needs a workshop, a target and a mode.");
    }
    for (const auth of [{}, { sessionId: 7 }, { sessionId: "s".repeat(200_000) }]) {
      expect(await refusal(TERMINAL_NAMESPACE, auth, ada.cookie)).toBe("Refused: open it from the Drydock page that started the session.");
    }
    expect(await refusal(WORKSHOP_NAMESPACE, { workshopId: room.id }, "drydock_instructor=forged; drydock_visitor=v_forged")).toMatch(
      /^Refused: this browser has no seat in that workshop/,
    );

    // Malformed events: each refused with what is wrong, the dashboard still serving.
    const { socket } = await dashboard(owner.cookie, room.id);
    const adaRoom = await attendeeRoom(ada);
    expect(await ask(adaRoom.socket, "hand:raise")).toEqual({ ok: true, value: null });
    const before = await roomRecord(room.id);
    for (const [event, request] of [
      ["seats:prepare", { count: "lots" }],
      ["seats:prepare", { count: 1e9 }],
      ["seats:prepare", { count: -1 }],
      ["seats:prepare", "two"],
      ["room:message", { text: "m".repeat(200_000) }],
      ["room:message", { text: "   " }],
      ["room:message", { text: 42 }],
      ["room:message", null],
      ["room:extend", { minutes: "forever" }],
      ["room:extend", { minutes: 1.5 }],
      ["room:state", { state: "ended" }],
      ["room:present", { on: "yes" }],
      ["seat:detail", { seatId: "s".repeat(200_000) }],
      ["seat:detail", {}],
      ["seat:file", { seatId: ada.seatId, path: "" }],
      ["hand:claim", { handId: ["x"] }],
    ] as const) {
      const answer = await ask(socket, event, request);
      expect(answer.ok, `${event} ${JSON.stringify(request).slice(0, 60)}`).toBe(false);
      expect(answer.error, event).toMatch(/\w/);
      expect(answer.error).not.toMatch(/failed on the server/);
    }
    expect((await ask(socket, "room:message", { text: "m".repeat(200_000) })).error).toMatch(/^A message holds at most \d+ characters\.$/);
    // No acknowledgement function and no arguments at all: nothing to answer, nothing breaks.
    socket.emit("room:end");
    socket.emit("seats:prepare", { count: 1 });
    adaRoom.socket.emit("step:viewed", { lessonId: "x".repeat(200_000), stepId: 5 });
    adaRoom.socket.emit("step:viewed", "garbage");
    adaRoom.socket.emit("hand:raise");
    expect(await ask(adaRoom.socket, "hand:raise", { extra: "ignored" })).toEqual({ ok: true, value: null });
    expect(await roomRecord(room.id)).toEqual(before);

    // A message over the server's size limit (whole files travel on the same connections) closes that connection; the server goes on.
    const oversized = await attendeeRoom(bob);
    const closed = new Promise<string>((resolve) => oversized.socket.once("disconnect", resolve));
    oversized.socket.emit("step:viewed", { lessonId: LESSON, stepId: "z".repeat(MAX_FILES_MESSAGE_BYTES + 1024) });
    expect(await closed).toBe("transport close");

    const still = await ask(socket, "seat:detail", { seatId: zoe.seatId });
    expect(still.ok, still.error).toBe(true);
    expect((await send("GET", "/")).status).toBe(200);
    const lateJoin = await join({ code: room.code, name: "Grace" });
    expect(lateJoin.status, lateJoin.text).toBe(201);
    expect(drydock.log()).not.toMatch(/"(api\.failed|workshop\.action_failed|workshop\.lookup_failed|watch\.lookup_failed)"/);
  });

  it("loses no workshop state across a web restart, a graceful stop and a kill -9 alike", async () => {
    const adaRoom = await attendeeRoom(ada);
    adaRoom.socket.emit("step:viewed", { lessonId: LESSON, stepId: firstStep.id });
    const sandbox = await connected(socketTo(SANDBOX_NAMESPACE, { sessionId: adaSession }, ada.cookie));
    const check = await ask(sandbox, "check:run", { script: firstStep.script });
    expect(check).toMatchObject({ ok: true, value: { passed: false } });
    sandbox.close();
    await waitUntil("the step and the failed check are kept", async () => {
      const [steps, checks] = await Promise.all([
        db.seatStep.count({ where: { seatId: ada.seatId } }),
        db.checkAttempt.count({ where: { seatId: ada.seatId } }),
      ]);
      return steps === 1 && checks === 1;
    });

    const { socket } = await dashboard(owner.cookie, room.id);
    const adaHand = await db.helpRequest.findFirstOrThrow({ where: { seatId: ada.seatId, resolvedAt: null, withdrawnAt: null } });
    expect(await ask(socket, "hand:claim", { handId: adaHand.id })).toEqual({ ok: true, value: null });
    expect(await ask(socket, "room:message", { text: "Ten minutes left <b>everyone</b>" })).toEqual({ ok: true, value: null });
    expect(await ask(socket, "room:message", { text: "Ada: look at step 1", seatId: ada.seatId })).toEqual({ ok: true, value: null });
    const takeover = await connected(socketTo(WATCH_NAMESPACE, { workshopId: room.id, target: ada.seatId, mode: "write" }, owner.cookie));
    await waitUntil("Ada is shown the take-over", async () => adaRoom.states.at(-1)?.typingWith === "Olga Owner");
    takeover.close();
    await waitUntil("the take-over is logged as ended", async () => (await db.takeover.count({ where: { endedAt: { not: null } } })) === 1);
    await waitUntil("Ada is shown the take-over ended", async () => adaRoom.states.at(-1)?.typingWith === null);

    // What the dashboard keeps: who is connected is today's news, and the radar's reasons move with the clock.
    const kept = (snapshot: DashboardSnapshot) => ({
      workshop: snapshot.workshop,
      steps: snapshot.steps,
      meter: snapshot.meter,
      hands: snapshot.hands,
      seats: snapshot.seats.map(({ online: _online, stuck: _stuck, ...row }: SeatRow) => row),
    });
    const record = await roomRecord(room.id);
    const snapshot = kept((await dashboard(owner.cookie, room.id)).snapshot);
    expect(snapshot.seats.find((row) => row.id === ada.seatId)).toMatchObject({
      handRaised: true,
      currentStep: `${LESSON}/${firstStep.id}`,
      cells: { [`${LESSON}/${firstStep.id}`]: { failed: 1 } },
    });
    expect(snapshot.hands).toMatchObject([{ seatId: ada.seatId, claimedByName: "Olga Owner" }]);

    for (const signal of ["SIGTERM", "SIGKILL"] as const) {
      // The second time a take-over is under way when the web dies: it cannot outlive the socket that made it.
      const live =
        signal === "SIGKILL"
          ? await connected(socketTo(WATCH_NAMESPACE, { workshopId: room.id, target: ada.seatId, mode: "write" }, owner.cookie))
          : undefined;
      if (live) await waitUntil("the live take-over is logged", async () => (await db.takeover.count({ where: { endedAt: null } })) === 1);
      await drydock.restart(signal);

      const after = await dashboard(owner.cookie, room.id);
      expect(kept(after.snapshot), `the dashboard after ${signal}`).toEqual(snapshot);
      const { takeovers, ...rest } = await roomRecord(room.id);
      const { takeovers: loggedBefore, ...restBefore } = record;
      expect(rest, `the room's rows after ${signal}`).toEqual(restBefore);
      expect(takeovers).toEqual(expect.arrayContaining(loggedBefore));
      expect(takeovers).toHaveLength(live ? 2 : 1);
      expect(takeovers.every((row) => row.endedAt !== null && row.instructorId === owner.id && row.seatId === ada.seatId)).toBe(true);

      const back = await attendeeRoom(ada);
      expect(back.states[0]).toMatchObject({
        workshopId: room.id,
        state: "running",
        handRaised: true,
        typingWith: null,
        banner: { text: "Ada: look at step 1", from: "Olga Owner", personal: true },
      });
      const bobBack = await attendeeRoom(bob);
      expect(bobBack.states[0]?.banner).toMatchObject({ text: "Ten minutes left <b>everyone</b>", personal: false });
    }
    // Ada's sandbox ran on through both restarts: her terminal answers.
    const own = await terminal(adaSession, ada.cookie);
    own.socket.emit("terminal:input", "echo still-$((6*7))\r");
    await waitUntil("Ada's terminal answers after the restarts", async () => own.seen().includes("still-42"), 60_000);
  });
});
