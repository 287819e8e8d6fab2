/**
 * Reads the shell integration's semantic-prompt marks (OSC 133: `ESC ] 133 ;
 * <A|B|C|D[;exit]> BEL or ST`) out of a terminal's output stream, chunk by
 * chunk; a mark split across chunks is completed by the next one. It only
 * reads: the bytes go to the browser unchanged (xterm.js ignores OSCs it
 * does not know). Pure: no screen is kept and nothing else is parsed.
 */
export type ShellMark =
  | { kind: "prompt-start" | "command-line" }
  /** `command`: the line, when the shell sent it (`C;cmdline_url=<percent-encoded>`, kitty's extension). */
  | { kind: "command-runs"; command?: string }
  | { kind: "command-ended"; exitCode?: number };

/** A command that ended: its exit status and, when the shell sent it, its line. */
export interface EndedCommand {
  exitCode: number;
  command?: string;
}

const ESC = 0x1b;
const BEL = 0x07;
const BACKSLASH = 0x5c;
const INTRODUCER = Buffer.from("\x1b]133;", "latin1");
/** A mark longer than this is not one of ours (a command line is sent up to 1000 bytes, encoded up to 3): its bytes are let go rather than buffered. */
const MAX_MARK_BYTES = 4096;
const KINDS: Record<string, ShellMark["kind"]> = { A: "prompt-start", B: "command-line", C: "command-runs", D: "command-ended" };

export class ShellMarkReader {
  /** The start of a mark that the previous chunk ended in the middle of. */
  private pending: Buffer = Buffer.alloc(0);

  read(chunk: Uint8Array): ShellMark[] {
    const bytes =
      this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    this.pending = Buffer.alloc(0);
    const marks: ShellMark[] = [];
    let at = bytes.indexOf(ESC);
    while (at !== -1) {
      const introduced = startsMark(bytes, at);
      if (introduced === "partial") {
        this.keep(bytes, at);
        break;
      }
      if (!introduced) {
        at = bytes.indexOf(ESC, at + 1);
        continue;
      }
      const bodyStart = at + INTRODUCER.length;
      const end = terminator(bytes, bodyStart);
      if (!end) {
        if (bytes.length - at <= MAX_MARK_BYTES) {
          this.keep(bytes, at);
          break;
        }
        at = bytes.indexOf(ESC, at + 1);
        continue;
      }
      const mark = end.cutOff ? undefined : parseMark(bytes.toString("latin1", bodyStart, end.bodyEnd));
      if (mark) marks.push(mark);
      at = bytes.indexOf(ESC, end.next);
    }
    return marks;
  }

  private keep(bytes: Buffer, from: number): void {
    this.pending = Buffer.from(bytes.subarray(from));
  }
}

/** Whether an OSC 133 starts at `at`: yes, no, or "partial" when the chunk ends before it can tell. */
function startsMark(bytes: Buffer, at: number): boolean | "partial" {
  const available = Math.min(INTRODUCER.length, bytes.length - at);
  if (bytes.compare(INTRODUCER, 0, available, at, at + available) !== 0) return false;
  return available === INTRODUCER.length ? true : "partial";
}

/**
 * Where the mark's body ends (BEL, or ST: ESC backslash) and where the stream goes
 * on; `cutOff` when another escape sequence began first; undefined when the
 * end is not in this chunk yet.
 */
function terminator(bytes: Buffer, from: number): { bodyEnd: number; next: number; cutOff?: true } | undefined {
  for (let i = from; i < bytes.length && i - from <= MAX_MARK_BYTES; i++) {
    if (bytes[i] === BEL) return { bodyEnd: i, next: i + 1 };
    if (bytes[i] === ESC) {
      if (i + 1 >= bytes.length) return undefined;
      return bytes[i + 1] === BACKSLASH ? { bodyEnd: i, next: i + 2 } : { bodyEnd: i, next: i, cutOff: true };
    }
  }
  return undefined;
}

function parseMark(body: string): ShellMark | undefined {
  const [letter, ...params] = body.split(";");
  const kind = KINDS[letter ?? ""];
  if (!kind) return undefined;
  if (kind === "command-runs") {
    const command = commandLine(params);
    return command === undefined ? { kind } : { kind, command };
  }
  if (kind !== "command-ended") return { kind };
  const exitCode = Number(params[0]);
  return params[0] !== undefined && params[0] !== "" && Number.isInteger(exitCode) ? { kind, exitCode } : { kind };
}

/** The `cmdline_url` parameter decoded as UTF-8; undefined when absent or not valid. */
function commandLine(params: string[]): string | undefined {
  const encoded = params.find((param) => param.startsWith("cmdline_url="))?.slice("cmdline_url=".length);
  if (encoded === undefined) return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

/**
 * Turns marks into ended commands: a `D` with an exit status counts only
 * after a `C` (a command ran), so an empty line at the prompt reports nothing.
 */
export class CommandEnds {
  private readonly reader = new ShellMarkReader();
  /** The command running since its C mark, if any. */
  private running: { command?: string } | undefined;

  /** The commands that ended in this chunk. */
  read(chunk: Uint8Array): EndedCommand[] {
    const ended: EndedCommand[] = [];
    for (const mark of this.reader.read(chunk)) {
      if (mark.kind === "command-runs") this.running = mark.command === undefined ? {} : { command: mark.command };
      else if (mark.kind === "command-ended") {
        if (this.running && mark.exitCode !== undefined) ended.push({ exitCode: mark.exitCode, ...this.running });
        this.running = undefined;
      }
    }
    return ended;
  }
}
