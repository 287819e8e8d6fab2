/**
 * asciicast v2, asciinema's recording format (https://docs.asciinema.org/manual/asciicast/v2):
 * newline-delimited JSON, a header object on the first line, then one event a
 * line, `[seconds since the start, code, data]`. Written by the server's
 * terminal recorder, read by the replay page; loaded by the browser too, so
 * nothing here uses Node.
 */
export const ASCIICAST_MEDIA_TYPE = "application/x-asciicast";

export interface AsciicastHeader {
  version: 2;
  /** The terminal's size when the recording began (columns, rows). */
  width: number;
  height: number;
  /** Unix time in seconds of the recording's start. */
  timestamp?: number;
  /** Players shorten every pause longer than this (seconds). */
  idle_time_limit?: number;
  title?: string;
  env?: Record<string, string>;
}

/** "o" output, "i" input, "r" resize ("COLSxROWS"), "m" marker. */
export type AsciicastCode = "o" | "i" | "r" | "m";
export type AsciicastEvent = [time: number, code: AsciicastCode, data: string];

const CODES = new Set<string>(["o", "i", "r", "m"]);

/** The header line, without its newline (a .cast file is `header + "\n" + events`). */
export function encodeHeader(header: AsciicastHeader): string {
  return JSON.stringify(header);
}

/** One event line, newline-terminated; time in seconds to the microsecond, as asciinema writes it. */
export function encodeEvent(time: number, code: AsciicastCode, data: string): string {
  return `${JSON.stringify([Math.round(time * 1e6) / 1e6, code, data])}\n`;
}

export function resizeData(size: { cols: number; rows: number }): string {
  return `${size.cols}x${size.rows}`;
}

/** The size a resize event names, or undefined for data that is not "COLSxROWS". */
export function parseResizeData(data: string): { cols: number; rows: number } | undefined {
  const match = /^(\d{1,4})x(\d{1,4})$/.exec(data);
  if (!match) return undefined;
  const cols = Number(match[1]);
  const rows = Number(match[2]);
  return cols > 0 && rows > 0 ? { cols, rows } : undefined;
}

export interface ParsedAsciicast {
  header: AsciicastHeader;
  events: AsciicastEvent[];
  /** Lines that were not events (skipped): a count, so a damaged file still plays what it can. */
  skippedLines: number;
}

/** Reads a .cast file; throws with the reason when its header is not asciicast v2. */
export function parseAsciicast(text: string): ParsedAsciicast {
  const lines = text.split("\n");
  const header = parseHeader(lines[0] ?? "");
  const events: AsciicastEvent[] = [];
  let skippedLines = 0;
  for (const line of lines.slice(1)) {
    if (line.trim() === "") continue;
    const event = parseEvent(line);
    if (event) events.push(event);
    else skippedLines += 1;
  }
  return { header, events, skippedLines };
}

function parseHeader(line: string): AsciicastHeader {
  let header: unknown;
  try {
    header = JSON.parse(line);
  } catch {
    throw new Error("This is not an asciicast recording: its first line is not a JSON header.");
  }
  const { version, width, height } = (header ?? {}) as Partial<AsciicastHeader>;
  if (version !== 2) throw new Error(`This recording is asciicast version ${String(version)}; only version 2 can be played here.`);
  if (!Number.isInteger(width) || !Number.isInteger(height) || (width as number) < 1 || (height as number) < 1) {
    throw new Error("This recording's header has no valid terminal size (width and height).");
  }
  return header as AsciicastHeader;
}

function parseEvent(line: string): AsciicastEvent | undefined {
  try {
    const event: unknown = JSON.parse(line);
    if (!Array.isArray(event) || event.length !== 3) return undefined;
    const [time, code, data] = event as unknown[];
    if (typeof time !== "number" || !Number.isFinite(time) || time < 0) return undefined;
    if (typeof code !== "string" || !CODES.has(code) || typeof data !== "string") return undefined;
    return [time, code as AsciicastCode, data];
  } catch {
    return undefined;
  }
}
