import type { TerminalSize } from "@drydock/protocol";
import type { Logger } from "@drydock/server-kit";
import { type AsciicastCode, encodeEvent, resizeData } from "../../recording/asciicast";
import type { Database } from "../db";

/** Events are written as one RecordingChunk row at most this often... */
export const FLUSH_EVERY_MS = 1000;
/** ...or as soon as this many bytes wait. */
export const FLUSH_AT_BYTES = 32 * 1024;

export interface StoredRecording {
  id: string;
  startedAt: Date;
  /** The .cast file's size so far: header and events. */
  bytes: number;
  truncated: boolean;
  /** The seq the next chunk takes. */
  nextSeq: number;
  /** The terminal's size at the recording's end so far, when known (a new recording's header size). */
  size: TerminalSize | undefined;
}

/**
 * Appends asciicast events to one Recording row, in RecordingChunk rows
 * written one at a time in order. Event times count from the recording's
 * start, so an attachment days later continues the same timeline. At
 * `maxBytes` (header included) the recording is marked truncated and takes
 * nothing more: a flood of output cannot fill the database.
 */
export class RecordingWriter {
  private pending: string[] = [];
  private refused: string[] = [];
  private pendingBytes = 0;
  private bytes: number;
  private nextSeq: number;
  private truncated: boolean;
  private truncationStored: boolean;
  private lastTime = 0;
  private size: TerminalSize | undefined;
  private appended: boolean;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
    private readonly recording: StoredRecording,
    private readonly maxBytes: number,
  ) {
    this.bytes = recording.bytes;
    this.nextSeq = recording.nextSeq;
    this.truncated = recording.truncated;
    this.truncationStored = recording.truncated;
    this.size = recording.size;
    this.appended = recording.nextSeq > 0;
  }

  get recordingId(): string {
    return this.recording.id;
  }

  get isTruncated(): boolean {
    return this.truncated;
  }

  /** Whether any event was recorded (in this process or before). */
  get hasEvents(): boolean {
    return this.appended;
  }

  /** A resize event, unless the terminal already has that size. */
  resize(atMs: number, size: TerminalSize): void {
    if (this.size?.cols === size.cols && this.size.rows === size.rows) return;
    this.size = size;
    this.append(atMs, "r", resizeData(size));
  }

  /** `atMs` is when it happened (epoch ms); times never go backwards, as the format wants them ordered. */
  append(atMs: number, code: AsciicastCode, data: string): void {
    if (this.truncated || data === "") return;
    const time = Math.max(this.lastTime, (atMs - this.recording.startedAt.getTime()) / 1000);
    const line = encodeEvent(time, code, data);
    const size = Buffer.byteLength(line);
    if (this.bytes + size > this.maxBytes) {
      this.truncated = true;
      this.log.info("recording.truncated", { recordingId: this.recording.id, bytes: this.bytes, maxBytes: this.maxBytes });
      void this.flush();
      return;
    }
    this.lastTime = time;
    this.appended = true;
    this.bytes += size;
    this.pending.push(line);
    this.pendingBytes += size;
    if (this.pendingBytes >= FLUSH_AT_BYTES) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_EVERY_MS).unref();
  }

  /** The last flush: what waits is written once more, and lost (and logged) if the database refuses it. */
  close(): Promise<void> {
    this.closed = true;
    return this.flush();
  }

  /** Writes what waits now as the next chunk; resolves once it (and every earlier chunk) is stored. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const lines = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.writing = this.writing.then(() => this.write(lines));
    return this.writing;
  }

  /** Chunks are written one after another; one the database refused goes first in the next. */
  private async write(fresh: string[]): Promise<void> {
    const lines = [...this.refused, ...fresh];
    this.refused = [];
    const truncate = this.truncated && !this.truncationStored;
    if (lines.length === 0 && !truncate) return;
    const events = lines.join("");
    const seq = this.nextSeq;
    try {
      await this.db.$transaction([
        ...(lines.length > 0 ? [this.db.recordingChunk.create({ data: { recordingId: this.recording.id, seq, events } })] : []),
        this.db.recording.update({
          where: { id: this.recording.id },
          data: { bytes: { increment: Buffer.byteLength(events) }, ...(truncate ? { truncated: true } : {}) },
        }),
      ]);
      if (lines.length > 0) this.nextSeq = seq + 1;
      if (truncate) this.truncationStored = true;
    } catch (error) {
      this.log.error("recording.write_failed", { recordingId: this.recording.id, seq, events: lines.length, final: this.closed, error });
      if (this.closed) return;
      // Kept, in order, for the next chunk: the cap bounds what can wait here.
      this.refused = lines;
      this.timer ??= setTimeout(() => void this.flush(), FLUSH_EVERY_MS).unref();
    }
  }
}
