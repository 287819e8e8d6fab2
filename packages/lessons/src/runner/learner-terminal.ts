import type { RunBlock } from "../model";
import { RUNNER_TERMINAL_SIZE, TerminalScreen, type TerminalSize } from "./terminal-screen";

/** The keyboard and screen of the learner's terminal: a TTY shell in the sandbox. */
export interface TerminalIO {
  /** Keystrokes, exactly as a keyboard sends them ("\r" is Enter, "\x03" is Ctrl-C). */
  typeInTerminal(keys: string): void;
  /** Everything the terminal prints, decoded as UTF-8, as it prints it. Returns the unsubscribe function. */
  onTerminalOutput(listener: (text: string) => void): () => void;
}

export interface LearnerTerminalOptions {
  /** The terminal's size: the shell must be opened with the same one. */
  size: TerminalSize;
  /** How long the screen must stay still, the cursor after a prompt, before a command counts as finished. */
  quietMs: number;
  /** A line's time limit unless the block sets `timeout=`. */
  commandTimeoutMs: number;
  /** The shell's prompt (PS1), up to the cursor: `root@sandbox:~/lab# `, `root@3f2a1b0c9d8e:/# `, `me@host:~$ `. */
  prompt: RegExp;
  /** The shell's continuation prompt (PS2), shown inside a here-document or an open quote. */
  continuation: RegExp;
  pollMs: number;
}

export const DEFAULT_TERMINAL_OPTIONS: LearnerTerminalOptions = {
  size: RUNNER_TERMINAL_SIZE,
  quietMs: 400,
  commandTimeoutMs: 300_000,
  // After "^C" on the same line: a program that handles SIGINT itself and exits (a foreground `docker run`) leaves no new line.
  prompt: /^(?:\^C)?[\w.-]+@[\w.-]+:[^\n]*[#$] $/,
  continuation: /^> $/,
  pollMs: 50,
};

/** A place in the terminal's output, to tell what changed after it. */
export interface TerminalMark {
  /** Characters of raw output received before the mark. */
  offset: number;
  /** The cursor's row at the mark. */
  row: number;
  /** The visible screen at the mark. */
  screen: string;
}

/** A typed command did not finish (or did not print what it should) in time. Carries what the screen showed. */
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
 * command has finished: the cursor stands right after a shell prompt on a
 * fresh line, and the screen has stayed still for a quiet period. This works
 * in the sandbox's shell (under tmux or not) and in a shell inside a container
 * started with `docker run -ti ... bash`, without changing the prompt the
 * learner sees. Lines are typed one at a time, each once the shell waits for
 * input again, as a person would.
 */
export class LearnerTerminal {
  private readonly screen: TerminalScreen;
  private raw = "";
  private lastOutputAt = Date.now();
  private readonly unsubscribe: () => void;
  private readonly options: LearnerTerminalOptions;

  constructor(
    private readonly io: TerminalIO,
    options: Partial<LearnerTerminalOptions> = {},
  ) {
    this.options = { ...DEFAULT_TERMINAL_OPTIONS, ...options };
    this.screen = new TerminalScreen(this.options.size);
    this.unsubscribe = io.onTerminalOutput((text) => {
      this.raw += text;
      this.screen.write(text);
      this.lastOutputAt = Date.now();
    });
  }

  /** How long nothing has been printed, in milliseconds. */
  silentForMs(): number {
    return Date.now() - this.lastOutputAt;
  }

  /** Where the cursor is now; pass it to `transcriptSince` later. */
  mark(): TerminalMark {
    return { offset: this.raw.length, row: this.screen.cursorRow, screen: this.screen.visibleText() };
  }

  /** What the terminal showed from a mark on (its last `lines` lines), as plain text. */
  async transcriptSince(mark: TerminalMark, lines = 80): Promise<string> {
    await this.screen.settled();
    const text = this.screen.text(mark.row).split("\n");
    return text.slice(Math.max(0, text.length - lines)).join("\n");
  }

  /** Everything shown so far (scrollback and screen), as plain text. */
  async transcript(): Promise<string> {
    await this.screen.settled();
    return this.screen.text();
  }

  /** Waits for the first prompt of a fresh shell. */
  async waitForPrompt(timeoutMs = 30_000): Promise<void> {
    await this.waitUntil(() => this.cursorAfter(this.options.prompt), { quiet: true, timeoutMs, what: "the shell's first prompt" });
  }

  /** A run block's time limit per line: its `timeout=`, else the terminal's. */
  timeoutOf(block: RunBlock): number {
    return block.timeoutSeconds !== undefined ? block.timeoutSeconds * 1000 : this.options.commandTimeoutMs;
  }

  /**
   * Performs a run block: Ctrl-C first when it says `interrupt`, then each
   * line once the shell waits for input. Aborting `signal` stops waiting (the
   * command typed goes on running) and rejects with the signal's reason.
   */
  async run(block: RunBlock, signal?: AbortSignal): Promise<void> {
    const timeoutMs = this.timeoutOf(block);
    if (block.interrupt) await this.interrupt();
    const lines = block.command.split("\n");
    for (const [index, line] of lines.entries()) {
      const last = index === lines.length - 1;
      await this.screen.settled();
      const mark = this.mark();
      this.io.typeInTerminal(`${line}\r`);
      if (last && block.until !== undefined) {
        const until = block.until;
        // Searched in the raw output, not on the screen: a full-screen program such as tmux may redraw lines
        // away between two looks. The echo of the typed line does not count.
        const inCommand = occurrences(line, until);
        await this.waitUntil(() => occurrences(printedText(this.raw.slice(mark.offset)), until) > inCommand, {
          quiet: false,
          timeoutMs,
          what: `"${until}" after typing \`${line}\``,
          signal,
        });
      } else {
        // Inside a here-document or an open quote the shell asks for more with its continuation prompt.
        const ready = () =>
          this.movedOn(mark) && (this.cursorAfter(this.options.prompt) || (!last && this.cursorAfter(this.options.continuation)));
        await this.waitUntil(ready, { quiet: true, timeoutMs, what: `\`${line}\` to finish (a prompt, then quiet)`, signal });
      }
    }
  }

  /**
   * Types a line that keeps running in the foreground (a server) and waits
   * until it has printed something and its output has been still for
   * `quietMs`: it has started. The command is left running.
   */
  async start(line: string, options: { quietMs: number; timeoutMs: number }): Promise<void> {
    await this.screen.settled();
    const mark = this.mark();
    this.io.typeInTerminal(`${line}\r`);
    // The screen moves on with the echo of the typed line already; what counts is that output then stops.
    await this.waitUntil(() => this.movedOn(mark) && Date.now() - this.lastOutputAt >= options.quietMs, {
      quiet: false,
      timeoutMs: options.timeoutMs,
      what: `\`${line}\` to start (its output to settle)`,
    });
  }

  /** Ctrl-C, then waits for the prompt the shell shows after it. */
  async interrupt(timeoutMs = 30_000): Promise<void> {
    await this.screen.settled();
    const mark = this.mark();
    this.io.typeInTerminal("\x03");
    await this.waitUntil(() => this.movedOn(mark) && this.cursorAfter(this.options.prompt), {
      quiet: true,
      timeoutMs,
      what: "a prompt after Ctrl-C",
    });
  }

  dispose(): void {
    this.unsubscribe();
    this.screen.dispose();
  }

  /** The cursor stands right after text matching the pattern, with nothing typed after it. */
  private cursorAfter(pattern: RegExp): boolean {
    const { before, after } = this.screen.cursorLine();
    return after.trim() === "" && pattern.test(before);
  }

  /**
   * The screen has changed since the mark: the cursor went to another row, or
   * what is shown differs (at the bottom of the screen a new prompt lands on
   * the row of the old one, with the same text, but everything above moved
   * up). Without this, the prompt a command was typed after would count as
   * its end before the keystrokes arrive.
   */
  private movedOn(mark: TerminalMark): boolean {
    return this.screen.cursorRow !== mark.row || this.screen.visibleText() !== mark.screen;
  }

  private waitUntil(
    ready: () => boolean,
    options: { quiet: boolean; timeoutMs: number; what: string; signal?: AbortSignal | undefined },
  ): Promise<void> {
    const started = Date.now();
    const startRow = this.screen.cursorRow;
    return new Promise((resolve, reject) => {
      const poll = () => {
        if (options.signal?.aborted) {
          reject(options.signal.reason);
          return;
        }
        const quietEnough = !options.quiet || Date.now() - this.lastOutputAt >= this.options.quietMs;
        if (quietEnough && ready()) {
          resolve();
          return;
        }
        if (Date.now() - started > options.timeoutMs) {
          const { before, after } = this.screen.cursorLine();
          void this.transcriptSince({ offset: 0, row: Math.max(0, startRow - 1), screen: "" }).then((transcript) =>
            reject(
              new TerminalTimeoutError(
                `Waited ${Math.round(options.timeoutMs / 1000)} s for ${options.what}; the cursor's line reads "${(before + after).trimEnd()}".`,
                transcript,
              ),
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

/** Raw output without escape sequences and carriage returns: the characters a program printed. */
export function printedText(raw: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing terminal control sequences is the point
  return raw.replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>@-Z\\-_]|\r/g, "");
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}
