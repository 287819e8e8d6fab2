import { createLogger } from "@drydock/server-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitUntil } from "../../../../../scripts/lib/drydock-server";
import { parseAsciicast } from "../../recording/asciicast";
import { parseWebConfig } from "../config";
import type { WebContext } from "../context";
import { newVisitorId } from "../learners/visitor";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { FLUSH_AT_BYTES } from "./recording-writer";
import { seatRecording } from "./seat-recording";
import { attachSeatRecorder, TERMINAL_RESET } from "./terminal-recorder";
import { type SeededInstructor, seedInstructor, seedSeat, seedWorkshop } from "./testing/workshop-fixtures";

/**
 * The recorder against a real SQLite database: real RecordingChunk rows,
 * read back as the .cast file the replay page gets. (The path through the
 * real gateway and agent is in workshop-records.integration.test.ts.)
 */
let database: TestDatabase;
let owner: SeededInstructor;
const MAX_BYTES = 8192;

function context(): WebContext {
  const config = parseWebConfig({
    DRYDOCK_AGENT_SECRET: "s".repeat(32),
    DATABASE_URL: database.url,
    RECORDING_MAX_BYTES: String(MAX_BYTES),
  });
  return { config, db: database.db, log: createLogger("test", () => {}) } as unknown as WebContext;
}

const bytes = (text: string) => new TextEncoder().encode(text);

async function recordedSeat(options: { recordTerminals?: boolean; state?: string } = {}) {
  const workshop = await seedWorkshop(database.db, owner, options);
  return seedSeat(database.db, workshop.id);
}

async function castOf(seat: { id: string; workshopId: string }) {
  return parseAsciicast((await seatRecording(database.db, seat.workshopId, seat.id)).cast);
}

const outputOf = (events: [number, string, string][]) =>
  events
    .filter(([, code]) => code === "o")
    .map(([, , data]) => data)
    .join("");

beforeAll(async () => {
  database = await createTestDatabase();
  owner = await seedInstructor(database.db);
});

afterAll(async () => {
  await database?.remove();
});

describe("a seat's terminal recording", () => {
  it("records output and resizes as asciicast v2, decoding UTF-8 characters split between chunks", async () => {
    const seat = await recordedSeat();
    const attachment = attachSeatRecorder(context(), seat.visitorId, { cols: 100, rows: 30 });
    const e = bytes("é"); // 2 bytes
    const check = bytes("✓"); // 3 bytes
    attachment.output(bytes("caf"));
    attachment.output(e.slice(0, 1));
    attachment.output(Uint8Array.of(...e.slice(1), ...bytes(" ok "), ...check.slice(0, 1)));
    attachment.output(check.slice(1, 2));
    attachment.output(check.slice(2));
    attachment.resize({ cols: 90, rows: 20 });
    attachment.resize({ cols: 90, rows: 20 });
    attachment.output(bytes("\r\nafter the resize"));
    await attachment.detach();

    const { header, events, skippedLines } = await castOf(seat);
    expect(header).toMatchObject({ version: 2, width: 100, height: 30, idle_time_limit: 2, title: "Ada Lovelace · Docker 101" });
    expect(skippedLines).toBe(0);
    expect(outputOf(events)).toBe("café ok ✓\r\nafter the resize");
    expect(outputOf(events)).not.toContain("\uFFFD");
    expect(events.filter(([, code]) => code === "r")).toEqual([[expect.any(Number), "r", "90x20"]]);
    const times = events.map(([time]) => time);
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const stored = await database.db.recording.findMany({ where: { seatId: seat.id } });
    expect(stored).toHaveLength(1);
    expect(stored[0]?.bytes).toBe(Buffer.byteLength((await seatRecording(database.db, seat.workshopId, seat.id)).cast));
  });

  it("writes chunks while the terminal stays attached: within about a second, and a chunk per 32 KiB of a flood", async () => {
    const seat = await recordedSeat();
    const roomy = { ...context(), config: { ...context().config, RECORDING_MAX_BYTES: 1024 * 1024 } };
    const attachment = attachSeatRecorder(roomy, seat.visitorId, undefined);
    const chunks = () => database.db.recordingChunk.count({ where: { recording: { seatId: seat.id } } });
    attachment.output(bytes("a little output"));
    await waitUntil("the timer writes the first chunk", async () => (await chunks()) === 1, 10_000);

    // Three floods in one go: the timer alone would write them as one chunk.
    for (const letter of "xyz") attachment.output(bytes(letter.repeat(FLUSH_AT_BYTES)));
    await waitUntil("each 32 KiB is a chunk of its own", async () => (await chunks()) === 4, 10_000);
    await attachment.detach();
    const { header, events } = await castOf(seat);
    expect(header).toMatchObject({ width: 80, height: 24 });
    expect(outputOf(events)).toBe(`a little output${["x", "y", "z"].map((letter) => letter.repeat(FLUSH_AT_BYTES)).join("")}`);
    expect(await chunks()).toBe(4);
  });

  it("continues the same recording on a re-attach, with time counted from its start and a terminal reset first", async () => {
    const seat = await recordedSeat();
    const first = attachSeatRecorder(context(), seat.visitorId, { cols: 80, rows: 24 });
    first.output(bytes("before the reload"));
    await first.detach();
    // As if the attendee came back a minute later.
    await database.db.recording.updateMany({ where: { seatId: seat.id }, data: { startedAt: new Date(Date.now() - 60_000) } });

    const second = attachSeatRecorder(context(), seat.visitorId, { cols: 120, rows: 40 });
    second.output(bytes("after the reload"));
    await second.detach();

    expect(await database.db.recording.count({ where: { seatId: seat.id } })).toBe(1);
    const { events } = await castOf(seat);
    expect(events.map(([, code, data]) => [code, data])).toEqual([
      ["o", "before the reload"],
      ["o", TERMINAL_RESET],
      ["r", "120x40"],
      ["o", "after the reload"],
    ]);
    expect(events[0]?.[0]).toBeLessThan(10);
    expect(events[3]?.[0]).toBeGreaterThanOrEqual(60);
    expect(await database.db.recordingChunk.findMany({ where: { recording: { seatId: seat.id } }, select: { seq: true } })).toEqual([
      { seq: 0 },
      { seq: 1 },
    ]);
  });

  it("records only the newest of two attachments of one seat, and the older again once the newer leaves", async () => {
    const seat = await recordedSeat();
    const older = attachSeatRecorder(context(), seat.visitorId, { cols: 80, rows: 24 });
    older.output(bytes("one tab"));
    const newer = attachSeatRecorder(context(), seat.visitorId, { cols: 80, rows: 24 });
    older.output(bytes("[same shell seen twice]"));
    newer.output(bytes("second tab"));
    await newer.detach();
    older.output(bytes("back to the first"));
    await older.detach();
    const { events } = await castOf(seat);
    expect(outputOf(events)).toBe(`one tab${TERMINAL_RESET}second tab${TERMINAL_RESET}back to the first`);
  });

  it("stops at RECORDING_MAX_BYTES, marks the recording truncated, and takes nothing more on a re-attach", async () => {
    const seat = await recordedSeat();
    const attachment = attachSeatRecorder(context(), seat.visitorId, { cols: 80, rows: 24 });
    for (let line = 0; line < 100; line += 1) attachment.output(bytes(`line ${line} ${"=".repeat(90)}\r\n`));
    await attachment.detach();
    const again = attachSeatRecorder(context(), seat.visitorId, { cols: 80, rows: 24 });
    again.output(bytes("after the cap"));
    await again.detach();

    const stored = await seatRecording(database.db, seat.workshopId, seat.id);
    expect(stored.truncated).toBe(true);
    expect(Buffer.byteLength(stored.cast)).toBe(stored.bytes);
    expect(stored.bytes).toBeLessThanOrEqual(MAX_BYTES);
    expect(stored.bytes).toBeGreaterThan(MAX_BYTES - 200);
    const output = outputOf(parseAsciicast(stored.cast).events);
    expect(output.startsWith("line 0 ")).toBe(true);
    expect(output).not.toContain("line 99");
    expect(output).not.toContain("after the cap");
  });

  it("records nothing for a visitor who is no seat, a workshop that does not record, or one that ended", async () => {
    const notRecorded = await recordedSeat({ recordTerminals: false });
    const ended = await recordedSeat({ state: "ended" });
    for (const visitorId of [newVisitorId(), notRecorded.visitorId, ended.visitorId]) {
      const attachment = attachSeatRecorder(context(), visitorId, { cols: 80, rows: 24 });
      attachment.output(bytes("not for the record"));
      attachment.resize({ cols: 100, rows: 30 });
      await attachment.detach();
    }
    expect(await database.db.recording.count({ where: { seatId: { in: [notRecorded.id, ended.id] } } })).toBe(0);
    await expect(seatRecording(database.db, notRecorded.workshopId, notRecorded.id)).rejects.toMatchObject({ status: 404 });
  });

  it("answers 404 for a seat of another workshop", async () => {
    const seat = await recordedSeat();
    const other = await seedWorkshop(database.db, owner);
    const attachment = attachSeatRecorder(context(), seat.visitorId, undefined);
    attachment.output(bytes("mine"));
    await attachment.detach();
    await expect(seatRecording(database.db, other.id, seat.id)).rejects.toMatchObject({ status: 404 });
    expect((await seatRecording(database.db, seat.workshopId, seat.id)).cast).toContain("mine");
  });
});
