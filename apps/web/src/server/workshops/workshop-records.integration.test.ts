import { randomBytes } from "node:crypto";
import { stripVTControlCharacters } from "node:util";
import { TERMINAL_NAMESPACE, type TerminalClientEvents, type TerminalServerEvents } from "@drydock/protocol";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fleetSandboxes, type RunningDrydock, startDrydock, waitUntil } from "../../../../../scripts/lib/drydock-server";
import { parseAsciicast } from "../../recording/asciicast";
import { type Database, openDatabase } from "../db";
import { VISITOR_COOKIE } from "../learners/visitor";
import { TERMINAL_RESET } from "./terminal-recorder";
import { type SeededInstructor, seedInstructor, seedSeat, seedWorkshop } from "./testing/workshop-fixtures";

/**
 * Recordings and the report through a real Drydock: the built web app, a
 * real agent, a real sandbox, a real socket.io client on the web's terminal
 * gateway. Instructors sign in by a session row (sign-in is another part's).
 * The tests run in order: the first records, the others read what it recorded.
 */
const fleet = `${process.env.DRYDOCK_TEST_FLEET_PREFIX ?? "test"}-records-${randomBytes(3).toString("hex")}`;
const LESSON = "commit-a-container";
let drydock: RunningDrydock;
let db: Database;
let owner: SeededInstructor;
let coInstructor: SeededInstructor;
let stranger: SeededInstructor;
let workshop: { id: string };
let seat: { id: string; visitorId: string };
let otherSeat: { id: string; visitorId: string };
let sessionId: string;

type Terminal = Socket<TerminalServerEvents, TerminalClientEvents>;

const attendeeCookie = () => `${VISITOR_COOKIE}=${seat.visitorId}`;
const recordingPath = (seatId = seat.id) => `/api/workshops/${workshop.id}/seats/${seatId}/recording`;

function get(path: string, cookie?: string): Promise<Response> {
  return fetch(`${drydock.base}${path}`, { headers: cookie ? { cookie } : {} });
}

/** Opens the session's terminal as the page does, and resolves once the shell prompts. */
async function openTerminal(
  size: { cols: number; rows: number },
  name?: string,
): Promise<{ terminal: Terminal; waitFor(text: string): Promise<void> }> {
  const terminal: Terminal = io(`${drydock.base}${TERMINAL_NAMESPACE}`, {
    auth: { sessionId, size, terminal: name },
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: { cookie: attendeeCookie(), origin: drydock.base },
  });
  let seen = "";
  terminal.on("terminal:output", (data, ack) => {
    seen += Buffer.from(data).toString("utf8");
    ack();
  });
  const waitFor = (text: string) =>
    waitUntil(`the terminal shows ${JSON.stringify(text)}`, async () => stripVTControlCharacters(seen).includes(text), 60_000);
  await waitFor("@sandbox");
  return { terminal, waitFor };
}

async function recordedOutput(): Promise<{ cast: ReturnType<typeof parseAsciicast>; output: string }> {
  const response = await get(recordingPath(), owner.cookie);
  expect(response.status).toBe(200);
  const cast = parseAsciicast(await response.text());
  const output = cast.events
    .filter(([, code]) => code === "o")
    .map(([, , data]) => data)
    .join("");
  return { cast, output };
}

beforeAll(async () => {
  drydock = await startDrydock({
    webPort: Number(process.env.TEST_WEB_PORT ?? 3190),
    agentPort: Number(process.env.TEST_AGENT_PORT ?? 4290),
    fleet,
    env: { POOL_SIZE: "0" },
  });
  db = openDatabase(drydock.databaseUrl);
  [owner, coInstructor, stranger] = [
    await seedInstructor(db, "Owner"),
    await seedInstructor(db, "Co"),
    await seedInstructor(db, "Stranger"),
  ];
  workshop = await seedWorkshop(db, owner, { title: "Docker 101: Café edition", lessonIds: [LESSON], recordTerminals: true }, [
    coInstructor,
  ]);
  seat = await seedSeat(db, workshop.id, "Ada <b>Lovelace</b>");
  otherSeat = await seedSeat(db, workshop.id, '=HYPERLINK("http://evil.example")');
});

afterAll(async () => {
  await db?.$disconnect();
  await drydock?.stop();
});

describe("a workshop's recordings and report, through the real web app", () => {
  it("records an attendee's terminal through the gateway, and continues the recording when they come back", async () => {
    const started = await fetch(`${drydock.base}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: attendeeCookie(), origin: drydock.base },
      body: JSON.stringify({ lessonId: LESSON }),
    });
    expect(started.status, drydock.log()).toBe(201);
    sessionId = ((await started.json()) as { id: string }).id;

    const first = await openTerminal({ cols: 100, rows: 30 });
    first.terminal.emit("terminal:input", 'echo "recorded-$((6*7)) café ✓"\r');
    await first.waitFor("recorded-42 café ✓");
    first.terminal.emit("terminal:resize", { cols: 90, rows: 20 });
    // Still attached: the recorder writes a chunk within about a second.
    await waitUntil("the recording holds the command's output", async () => (await recordedOutput()).output.includes("recorded-42 café ✓"));
    first.terminal.close();

    // A second terminal of the sandbox is not the seat's recorded one.
    const side = await openTerminal({ cols: 80, rows: 24 }, "side");
    side.terminal.emit("terminal:input", "echo side-$((2+2))\r");
    await side.waitFor("side-4");
    side.terminal.close();

    const second = await openTerminal({ cols: 120, rows: 40 });
    second.terminal.emit("terminal:input", "echo second-$((1+1))\r");
    await second.waitFor("second-2");
    second.terminal.close();
    await waitUntil("the second attachment is recorded", async () => (await recordedOutput()).output.includes("second-2"));

    const { cast, output } = await recordedOutput();
    expect(cast.header).toMatchObject({ version: 2, width: 100, height: 30, title: "Ada <b>Lovelace</b> · Docker 101: Café edition" });
    expect(cast.skippedLines).toBe(0);
    expect(output).not.toContain("\uFFFD");
    expect(output).not.toContain("side-4");
    expect(output.indexOf(TERMINAL_RESET)).toBeGreaterThan(output.indexOf("recorded-42 café ✓"));
    expect(output.indexOf("second-2")).toBeGreaterThan(output.indexOf(TERMINAL_RESET));
    expect(cast.events.filter(([, code]) => code === "r").map(([, , data]) => data)).toEqual(["90x20", "120x40"]);
    expect(await db.recording.count({ where: { seatId: seat.id } })).toBe(1);
  });

  it("serves the recording to the workshop's instructors only: 404 for the attendee, another instructor, no one, or a seat elsewhere", async () => {
    const answer = await get(recordingPath(), owner.cookie);
    expect(answer.headers.get("content-type")).toBe("application/x-asciicast");
    expect((await get(recordingPath(), coInstructor.cookie)).status).toBe(200);
    for (const cookie of [attendeeCookie(), stranger.cookie, undefined, "drydock_instructor=forged"]) {
      const refused = await get(recordingPath(), cookie);
      expect(refused.status).toBe(404);
      expect(await refused.text()).not.toContain("recorded-42");
    }
    const elsewhere = await seedWorkshop(db, stranger);
    expect((await get(`/api/workshops/${elsewhere.id}/seats/${seat.id}/recording`, stranger.cookie)).status).toBe(404);
    expect((await get(recordingPath(otherSeat.id), owner.cookie)).status).toBe(404);

    const page = await get(`/instructor/workshops/${workshop.id}/seats/${seat.id}/recording`, owner.cookie);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Ada &lt;b&gt;Lovelace&lt;/b&gt;");
    expect((await get(`/instructor/workshops/${workshop.id}/seats/${seat.id}/recording`, attendeeCookie())).status).toBe(404);
  });

  it("keeps the recording and the report once the seat's sandbox is gone, and serves the report as CSV and JSON to instructors only", async () => {
    const lesson = LESSON;
    await db.seatStep.create({
      data: {
        seatId: seat.id,
        lessonId: lesson,
        stepId: "start-a-container",
        enteredAt: new Date(Date.now() - 120_000),
        passedAt: new Date(Date.now() - 60_000),
      },
    });
    await db.checkAttempt.createMany({
      data: [
        { seatId: seat.id, lessonId: lesson, stepId: "start-a-container", passed: false, output: "FAIL: not yet" },
        { seatId: seat.id, lessonId: lesson, stepId: "start-a-container", passed: true, output: "" },
      ],
    });
    await db.helpRequest.create({ data: { id: `hand_${randomBytes(6).toString("hex")}`, seatId: seat.id } });

    const ended = await fetch(`${drydock.base}/api/sessions/${sessionId}`, {
      method: "DELETE",
      headers: { cookie: attendeeCookie(), origin: drydock.base },
    });
    expect(ended.status).toBe(204);
    await waitUntil("the seat's sandbox is removed", async () => (await fleetSandboxes(fleet)).length === 0);

    expect((await recordedOutput()).output).toContain("second-2");

    const csv = await get(`/api/workshops/${workshop.id}/report.csv`, coInstructor.cookie);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toBe('attachment; filename="docker-101-cafe-edition-report.csv"');
    const lines = (await csv.text()).split("\r\n");
    const adaFirstStep = lines.find((line) => line.startsWith("Ada <b>Lovelace</b>,") && line.includes(",start-a-container,"));
    expect(adaFirstStep).toMatch(
      /^Ada <b>Lovelace<\/b>,[^,]+,1,[^,]+,\d{4}-.+Z,\d{4}-.+Z,2,1,60,1,commit-a-container,start-a-container,seat_/,
    );
    expect(lines.some((line) => line.startsWith(`"'=HYPERLINK(""http://evil.example"")",`))).toBe(true);

    const json = await get(`/api/workshops/${workshop.id}/report.json`, owner.cookie);
    expect(json.headers.get("content-disposition")).toBe('attachment; filename="docker-101-cafe-edition-report.json"');
    const report = (await json.json()) as {
      workshop: { title: string };
      rows: { attendee: string; stepId: string; attempts: number; attendeeHelpRequests: number }[];
    };
    expect(report.workshop.title).toBe("Docker 101: Café edition");
    expect(report.rows.find((row) => row.attendee === "Ada <b>Lovelace</b>" && row.stepId === "start-a-container")).toMatchObject({
      attempts: 2,
      attendeeHelpRequests: 1,
    });

    for (const path of ["report.csv", "report.json"]) {
      for (const cookie of [attendeeCookie(), stranger.cookie, undefined]) {
        expect((await get(`/api/workshops/${workshop.id}/${path}`, cookie)).status).toBe(404);
      }
    }
  });
});
