import xterm from "@xterm/headless";

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** The size the runner's terminal has (and the shell it types into must be opened with). */
export const RUNNER_TERMINAL_SIZE: TerminalSize = { cols: 160, rows: 48 };

/**
 * What the learner's terminal shows, computed by xterm.js's own emulator (the
 * headless build of the one the browser uses), so the runner sees the screen
 * exactly as a learner would, whatever draws it: bash, a container's shell,
 * tmux, progress bars. Rows are numbered from the first line ever shown
 * (scrollback included), so a row keeps its number as the screen scrolls.
 */
export class TerminalScreen {
  private readonly terminal: InstanceType<typeof xterm.Terminal>;

  constructor(size: TerminalSize = RUNNER_TERMINAL_SIZE, scrollback = 100_000) {
    this.terminal = new xterm.Terminal({ cols: size.cols, rows: size.rows, scrollback, allowProposedApi: true });
  }

  /** Feeds output; the emulator parses it shortly after (see settled()). */
  write(text: string): void {
    this.terminal.write(text);
  }

  /** Resolves once everything written so far is on the screen. */
  settled(): Promise<void> {
    return new Promise((resolve) => this.terminal.write("", resolve));
  }

  /** The cursor's row, counted from the first line of the scrollback. */
  get cursorRow(): number {
    const buffer = this.terminal.buffer.active;
    return buffer.baseY + buffer.cursorY;
  }

  /** The cursor's line: the text before the cursor, and what follows it. */
  cursorLine(): { before: string; after: string } {
    const buffer = this.terminal.buffer.active;
    const line = buffer.getLine(buffer.baseY + buffer.cursorY)?.translateToString(false) ?? "";
    return { before: line.slice(0, buffer.cursorX), after: line.slice(buffer.cursorX) };
  }

  /** The visible screen (not the scrollback), as text. */
  visibleText(): string {
    const buffer = this.terminal.buffer.active;
    const lines: string[] = [];
    for (let row = buffer.baseY; row < buffer.baseY + this.terminal.rows; row++) lines.push(this.lineText(row));
    return lines.join("\n");
  }

  /** A row's text, trailing spaces dropped. */
  lineText(row: number): string {
    return this.terminal.buffer.active.getLine(row)?.translateToString(true).trimEnd() ?? "";
  }

  /** The lines from a row to the end (scrollback and screen), trailing blank lines dropped. */
  text(fromRow = 0): string {
    const buffer = this.terminal.buffer.active;
    const lines: string[] = [];
    for (let row = Math.max(0, fromRow); row < buffer.length; row++) lines.push(this.lineText(row));
    while (lines.length > 0 && lines.at(-1) === "") lines.pop();
    return lines.join("\n");
  }

  dispose(): void {
    this.terminal.dispose();
  }
}

/** Raw terminal output as the plain text a person would read. */
export async function renderText(raw: string, size: TerminalSize = RUNNER_TERMINAL_SIZE): Promise<string> {
  const screen = new TerminalScreen(size);
  screen.write(raw);
  await screen.settled();
  const text = screen.text();
  screen.dispose();
  return text;
}
