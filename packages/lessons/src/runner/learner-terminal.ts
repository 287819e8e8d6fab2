import type { RunBlock } from "../model";
import { Screen, tail } from "./terminal-text";

/** The keyboard and screen of the learner's terminal: a TTY shell in the sandbox. */
export interface TerminalIO {
  /** Keystrokes, exactly as a keyboard sends them ("\r" is Enter, "\x03" is Ctrl-C). */
  typeInTerminal(keys: string): void;
  /** Everything the terminal prints, decoded as UTF-8, as it prints it. Returns the unsubscribe function. */
  onTerminalOutput(listener: (text: string) => void): () => void;
}

export interface LearnerTerminalOptions {
  /** How long the screen must stay still, a prompt on the cursor's line, before a command counts as finished. */
  quietMs: number;
  /** A line's time limit unless the block sets `timeout=`. */
  commandTimeoutMs: number;
  /** The shell's prompt (PS1) on the cursor's line: `root@sandbox:~/lab# `, `root@3f2a1b:/# `, `me@host:~$ `. */
  prompt: RegExp;
  /** The shell's continuation prompt (PS2), shown inside a here-document or an open quote. */
  continuation: RegExp;
  pollMs: number;
}

export const DEFAULT_TERMINAL_OPTIONS: LearnerTerminalOptions = {
  quietMs: 400,
  commandTimeoutMs: 300_000,
  prompt: /^[\w.-]+@[\w.-]+:[^\n]*[#$] $/,
  continuation: /^> $/,
  pollMs: 50,
};

/** A typed command did not finish (or did not print what it should) in time. Carries what the screen showed. */
/** A place in the terminal's output, to read what came after it. */
export interface TerminalMark {
  /** Characters of raw output before the mark. */
  offset: number;
  /** The cursor's row at the mark. */
  row: number;
}

export class TerminalTimeoutError extends Error {
  constructor(
    message: string,
    readonly transcript: string,
  ) {
    super(message);
    this.name = "TerminalTimeoutError";
  }
}

/**
 * Types into a TTY shell the way a learner does, and knows when a typed
 * command has finished: the cursor's line shows a shell prompt and nothing has
 * been printed for a quiet period. This works in the sandbox's shell and in a
 * shell inside a container started with `docker run -ti ... bash`, without
 * changing the prompt the learner sees. Lines are typed one at a time, each
 * once the shell waits for input again, as a person would.
 */
export class LearnerTerminal {
  private raw = "";
  private readonly screen = new Screen();
  private lastOutputAt = Date.now();
  private readonly unsubscribe: () => void;
  private readonly options: LearnerTerminalOptions;

  constructor(
    private readonly io: TerminalIO,
    options: Partial<LearnerTerminalOptions> = {},
  ) {
    this.options = { ...DEFAULT_TERMINAL_OPTIONS, ...options };
    this.unsubscribe = io.onTerminalOutput((text) => {
      this.raw += text;
      this.screen.write(text);
      this.lastOutputAt = Date.now();
    });
  }

  /** Where the output is now; pass it to `transcriptSince` later. */
  mark(): TerminalMark {
    return { offset: this.raw.length, row: this.screen.cursorRow };
  }

  /** What the screen showed since a mark, as plain text. */
  transcriptSince(mark: TerminalMark, lines = 80): string {
    return tail(this.raw.slice(mark.offset), lines);
  }

  /** Everything shown so far, as plain text. */
  transcript(): string {
    return this.screen.text();
  }

  /** Waits for the first prompt of a fresh shell. */
  async waitForPrompt(timeoutMs = 30_000): Promise<void> {
    const mark = this.mark();
    const ready = () => this.options.prompt.test(this.screen.currentLine());
    await this.waitUntil(mark, ready, { quiet: true, timeoutMs, what: "the shell's first prompt" });
  }

  /** Performs a run block: Ctrl-C first when it says `interrupt`, then each line once the shell waits for input. */
  async run(block: RunBlock): Promise<void> {
    const timeoutMs = block.timeoutSeconds !== undefined ? block.timeoutSeconds * 1000 : this.options.commandTimeoutMs;
    if (block.interrupt) await this.interrupt();
    const lines = block.command.split("\n");
    for (const [index, line] of lines.entries()) {
      const last = index === lines.length - 1;
      const mark = this.mark();
      this.io.typeInTerminal(`${line}\r`);
      if (last && block.until !== undefined) {
        const until = block.until;
        await this.waitUntil(mark, () => this.screen.text(mark.row + 1).includes(until), {
          quiet: false,
          timeoutMs,
          what: `"${until}" after typing \`${line}\``,
        });
      } else {
        // Inside a here-document or an open quote the shell asks for more with its continuation prompt.
        const ready = last ? () => this.atPrompt(mark) : () => this.atPrompt(mark) || this.atContinuation(mark);
        await this.waitUntil(mark, ready, { quiet: true, timeoutMs, what: `\`${line}\` to finish (a prompt, then quiet)` });
      }
    }
  }

  /** Ctrl-C, then waits for the prompt the shell shows after it. */
  async interrupt(timeoutMs = 30_000): Promise<void> {
    const mark = this.mark();
    this.io.typeInTerminal("\x03");
    await this.waitUntil(mark, () => this.atPrompt(mark), { quiet: true, timeoutMs, what: "a prompt after Ctrl-C" });
  }

  dispose(): void {
    this.unsubscribe();
  }

  /**
   * The shell waits for input again: a prompt on the cursor's line, below the
   * line that was typed (Enter always moves down, so the old prompt the
   * command was typed after never counts).
   */
  private atPrompt(mark: TerminalMark): boolean {
    return this.screen.cursorRow > mark.row && this.options.prompt.test(this.screen.currentLine());
  }

  private atContinuation(mark: TerminalMark): boolean {
    return this.screen.cursorRow > mark.row && this.options.continuation.test(this.screen.currentLine());
  }

  private waitUntil(mark: TerminalMark, ready: () => boolean, options: { quiet: boolean; timeoutMs: number; what: string }): Promise<void> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const poll = () => {
        const quietEnough = !options.quiet || Date.now() - this.lastOutputAt >= this.options.quietMs;
        if (quietEnough && ready()) {
          resolve();
          return;
        }
        if (Date.now() - started > options.timeoutMs) {
          reject(
            new TerminalTimeoutError(
              `Waited ${Math.round(options.timeoutMs / 1000)} s for ${options.what}; the screen's last line is "${this.screen.currentLine()}".`,
              this.transcriptSince(mark),
            ),
          );
          return;
        }
        setTimeout(poll, this.options.pollMs);
      };
      poll();
    });
  }
}
