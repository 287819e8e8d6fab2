import type { TerminalSize } from "@drydock/protocol";
import { type AsciicastHeader, encodeHeader } from "../../recording/asciicast";
import type { WebContext } from "../context";
import { RecordingWriter } from "./recording-writer";

/** Replay shortens every pause to this (seconds), as asciinema's `idle_time_limit`. */
export const RECORDING_IDLE_TIME_LIMIT = 2;
/** A full reset (RIS): what a browser's terminal does on attaching, since the agent then replays the shell's scrollback. */
export const TERMINAL_RESET = "\x1bc";

/** One browser's attachment to a seat's terminal, as the recorder sees it. */
export interface RecordedAttachment {
  output(bytes: Uint8Array): void;
  resize(size: TerminalSize): void;
  /** Flushes what waits; resolves once stored. */
  detach(): Promise<void>;
}

interface SeatEntry {
  writer: Promise<RecordingWriter | null>;
  /** Set once nothing will be recorded (no recorded seat, or the cap reached): output is then not even decoded. */
  idle: boolean;
  /** Open attachments, oldest first; the newest is the one recorded. */
  attachments: Attachment[];
}

interface Attachment {
  decoder: TextDecoder;
  size: TerminalSize | undefined;
}

/** In this process, by visitor id: each recorded seat's writer and its attachments. */
const seats = new Map<string, SeatEntry>();
/** Writers being closed, by visitor id: a new attachment waits for the last chunk before it reads the recording. */
const closing = new Map<string, Promise<void>>();

/**
 * The terminal gateway's call for a seat's main terminal: attaches to the
 * seat's recording when its workshop records terminals (and has not ended). Returns at once: events that
 * arrive while the seat is looked up keep their time and order. For a
 * visitor who is not a recorded seat, every call does nothing.
 *
 * Several attachments of one seat (two tabs, two lessons) see the same shell:
 * only the newest is recorded, and each change of the recorded one starts
 * with a terminal reset, as the browser's own terminal does on attaching.
 */
export function attachSeatRecorder(ctx: WebContext, visitorId: string, size: TerminalSize | undefined): RecordedAttachment {
  const attachedAt = Date.now();
  let entry = seats.get(visitorId);
  if (!entry) {
    const opened = (closing.get(visitorId) ?? Promise.resolve()).then(() => openWriter(ctx, visitorId, size, attachedAt));
    const created: SeatEntry = { writer: opened.catch(() => null), attachments: [], idle: false };
    void created.writer.then((writer) => {
      created.idle = writer === null;
    });
    opened.catch((error: unknown) => ctx.log.error("recording.open_failed", { error }));
    entry = created;
    seats.set(visitorId, entry);
  }
  const seat = entry;
  const self: Attachment = { decoder: new TextDecoder("utf-8"), size };
  seat.attachments.push(self);
  startRecording(seat, self, attachedAt);

  const recorded = () => seat.attachments.at(-1) === self;
  const output = (atMs: number, text: string) =>
    void seat.writer.then((writer) => {
      writer?.append(atMs, "o", text);
      if (writer?.isTruncated) seat.idle = true;
    });

  return {
    output(bytes) {
      if (seat.idle) return;
      const text = self.decoder.decode(bytes, { stream: true });
      if (recorded()) output(Date.now(), text);
    },
    resize(size) {
      self.size = size;
      const atMs = Date.now();
      if (recorded()) void seat.writer.then((writer) => writer?.resize(atMs, size));
    },
    async detach() {
      const index = seat.attachments.indexOf(self);
      if (index === -1) return;
      const rest = self.decoder.decode();
      if (recorded()) output(Date.now(), rest);
      seat.attachments.splice(index, 1);
      const successor = seat.attachments.at(-1);
      if (successor && index === seat.attachments.length) startRecording(seat, successor, Date.now());
      if (seat.attachments.length > 0) {
        await seat.writer.then((writer) => writer?.flush());
        return;
      }
      seats.delete(visitorId);
      const closed = seat.writer.then((writer) => writer?.close());
      closing.set(visitorId, closed);
      await closed;
      if (closing.get(visitorId) === closed) closing.delete(visitorId);
    },
  };
}

/** Every recorded seat's waiting events, stored: for a server about to stop. */
export async function flushTerminalRecordings(): Promise<void> {
  await Promise.all([...seats.values()].map((seat) => seat.writer.then((writer) => writer?.flush())));
  await Promise.all(closing.values());
}

/** An attachment becomes the recorded one: a reset (unless nothing was recorded yet) and its size. */
function startRecording(seat: SeatEntry, attachment: Attachment, atMs: number): void {
  const { size } = attachment;
  void seat.writer.then((writer) => {
    if (writer?.hasEvents) writer.append(atMs, "o", TERMINAL_RESET);
    if (size) writer?.resize(atMs, size);
  });
}

/** The seat's recording, continued or begun; null when the visitor is no seat of a workshop that records now. */
async function openWriter(
  ctx: WebContext,
  visitorId: string,
  size: TerminalSize | undefined,
  attachedAt: number,
): Promise<RecordingWriter | null> {
  const seat = await ctx.db.seat.findUnique({
    where: { visitorId },
    select: { id: true, name: true, workshop: { select: { title: true, recordTerminals: true, state: true } } },
  });
  if (!seat?.workshop.recordTerminals || seat.workshop.state === "ended") return null;
  const maxBytes = ctx.config.RECORDING_MAX_BYTES;
  const existing = await ctx.db.recording.findFirst({ where: { seatId: seat.id }, orderBy: { startedAt: "asc" } });
  if (existing) {
    if (existing.truncated) return null;
    const last = await ctx.db.recordingChunk.aggregate({ where: { recordingId: existing.id }, _max: { seq: true } });
    const nextSeq = (last._max.seq ?? -1) + 1;
    // The size it ended at is in its events, not read here: the attachment's size is written as a resize.
    return new RecordingWriter(ctx.db, ctx.log, { ...existing, nextSeq, size: undefined }, maxBytes);
  }
  const header: AsciicastHeader = {
    version: 2,
    width: size?.cols ?? 80,
    height: size?.rows ?? 24,
    timestamp: Math.floor(attachedAt / 1000),
    idle_time_limit: RECORDING_IDLE_TIME_LIMIT,
    title: `${seat.name ?? "Attendee"} · ${seat.workshop.title}`,
  };
  const headerLine = encodeHeader(header);
  const created = await ctx.db.recording.create({
    data: {
      id: newRecordingId(),
      seatId: seat.id,
      header: headerLine,
      bytes: Buffer.byteLength(`${headerLine}\n`),
      startedAt: new Date(attachedAt),
    },
  });
  ctx.log.info("recording.started", { recordingId: created.id, seatId: seat.id });
  const startSize = { cols: header.width, rows: header.height };
  return new RecordingWriter(ctx.db, ctx.log, { ...created, nextSeq: 0, size: startSize }, maxBytes);
}

function newRecordingId(): string {
  return `rec_${crypto.randomUUID().replaceAll("-", "")}`;
}
