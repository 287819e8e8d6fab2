/**
 * The terminal stream, the same on both hops: browser ↔ web gateway and
 * web gateway ↔ agent. Output is bytes, because a UTF-8 character may be split
 * across two reads of the TTY; input is text typed by a person.
 *
 * This file is loaded by the browser too: types and constants only, no
 * validation library (the schemas are in terminal-schemas.ts).
 */
export const TERMINAL_NAMESPACE = "/terminal";

/** Input larger than a paste of a big file is refused rather than buffered. */
export const MAX_INPUT_CHUNK = 64 * 1024;

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** A sandbox has several named terminals; "main" unless another is asked for. */
export const DEFAULT_TERMINAL = "main";

/**
 * How the receiver acknowledges output. "consumed": output arrives as
 * `terminal:data` and the receiver reports what it has consumed with
 * `terminal:consumed` every OUTPUT_REPORT_BYTES (one message per 16 KiB
 * instead of one per chunk: a keystroke's echo is one chunk). Absent: the
 * first protocol, `terminal:output` with an ack per chunk, which pages and
 * web nodes from before it still speak.
 */
export type OutputAcks = "consumed";

/** What the gateway presents to the agent when it opens a terminal. */
export interface AgentTerminalAuth {
  token: string;
  sandboxId: string;
  terminal?: string;
  size?: TerminalSize;
  acks?: OutputAcks;
}

/** What the browser presents to the web gateway; the visitor cookie rides along. */
export interface BrowserTerminalAuth {
  sessionId: string;
  terminal?: string;
  size?: TerminalSize;
  acks?: OutputAcks;
}

export interface TerminalClosed {
  reason: string;
  exitCode?: number;
}

/**
 * Output is flow-controlled: the receiver calls `ack` once it has consumed a
 * chunk (xterm.js: once parsed), and the sender pauses the shell's stream while
 * too many bytes are unacknowledged. A slow client then loses nothing and a
 * flood (`yes`) cannot fill the agent's memory.
 */
export const OUTPUT_HIGH_WATER_BYTES = 256 * 1024;
export const OUTPUT_LOW_WATER_BYTES = 64 * 1024;
/** A "consumed" receiver reports once it has consumed this much: at most the low water mark, or a paused sender would never hear enough to resume. */
export const OUTPUT_REPORT_BYTES = 16 * 1024;

/**
 * A command ended in the sandbox's main terminal, as its shell marked it
 * (OSC 133 `D;<exit>` after a `C`): its exit status and when the agent saw
 * the mark. A prompt left with an empty line reports nothing.
 */
export interface TerminalCommand {
  exitCode: number;
  /**
   * The command line as the shell's history recorded it (at most 1000 bytes);
   * absent when history kept nothing new: a line starting with a space (how
   * a learner keeps a secret out of history) or the same line again.
   */
  command?: string;
  /** ISO 8601. */
  at: string;
}

export interface TerminalServerEvents {
  /** Output to a receiver that acks each chunk (no `acks` in its auth). */
  "terminal:output": (data: Uint8Array, ack: () => void) => void;
  /** Output to a receiver that reports what it consumed (`acks: "consumed"`). */
  "terminal:data": (data: Uint8Array) => void;
  "terminal:closed": (closed: TerminalClosed) => void;
  /** The main terminal only; sent to every socket attached to it (writers and watchers alike). */
  "terminal:command": (ended: TerminalCommand) => void;
}

export interface TerminalClientEvents {
  "terminal:input": (data: string) => void;
  "terminal:resize": (size: TerminalSize) => void;
  /** Bytes of `terminal:data` consumed since the last report (watchers send it too). */
  "terminal:consumed": (bytes: number) => void;
}
