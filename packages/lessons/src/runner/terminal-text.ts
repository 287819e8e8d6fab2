/**
 * A small screen model of a TTY's output: enough to see what a person sees
 * (the line the cursor is on, a readable transcript) without a full terminal
 * emulator. It applies carriage returns, backspaces, tabs, erase-line and
 * cursor moves up/down/left/right/to a column (which `docker pull` and
 * `docker push` use to redraw their progress lines); it drops colours, modes
 * and titles, and keeps every line (no scrolling, no wrapping).
 */

// A complete token: CSI (colours, erase, cursor), OSC (title, ended by BEL or ST), charset selection, other two-byte escapes, one control character, or text.
const TOKEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal control sequences is the point
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>@-Z\\-_]|[\x00-\x1f\x7f]|[^\x00-\x1f\x7f]+/g;
// An escape sequence cut off at the end of a chunk: kept until the next chunk completes it.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal control sequences is the point
const INCOMPLETE = /\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*\x1b?|[()])?$/;

export class Screen {
  private readonly lines: string[] = [""];
  private row = 0;
  private column = 0;
  private pending = "";

  write(text: string): void {
    let input = this.pending + text;
    const incomplete = INCOMPLETE.exec(input);
    this.pending = incomplete ? incomplete[0] : "";
    if (incomplete) input = input.slice(0, incomplete.index);
    for (const [token] of input.matchAll(TOKEN)) this.apply(token);
  }

  /** The row the cursor is on (0 is the first line this screen saw). */
  get cursorRow(): number {
    return this.row;
  }

  /** The line the cursor is on, as shown: what a person looks at to see whether the shell waits for input. */
  currentLine(): string {
    return this.lines[this.row] ?? "";
  }

  /** The lines from a row on, trailing spaces trimmed. */
  text(fromRow = 0): string {
    return this.lines
      .slice(fromRow)
      .map((line) => line.trimEnd())
      .join("\n");
  }

  private apply(token: string): void {
    if (token.startsWith("\x1b[")) {
      this.control(token);
    } else if (token.startsWith("\x1b")) {
      // titles, charsets, keypad modes: nothing visible
    } else if (token === "\r") {
      this.column = 0;
    } else if (token === "\n") {
      this.moveTo(this.row + 1);
    } else if (token === "\b") {
      this.column = Math.max(0, this.column - 1);
    } else if (token === "\t") {
      this.put(" ".repeat(8 - (this.column % 8)));
    } else if (token.length > 1 || token >= " ") {
      this.put(token);
    }
  }

  private control(token: string): void {
    const final = token.at(-1);
    const parameter = token.slice(2, -1);
    const count = Math.max(1, Number.parseInt(parameter, 10) || 1);
    switch (final) {
      case "A":
        this.row = Math.max(0, this.row - count);
        break;
      case "B":
        this.moveTo(this.row + count);
        break;
      case "C":
        this.column += count;
        break;
      case "D":
        this.column = Math.max(0, this.column - count);
        break;
      case "G":
        this.column = count - 1;
        break;
      case "K": {
        const line = this.currentLine();
        if (parameter === "" || parameter === "0") this.lines[this.row] = line.slice(0, this.column);
        else if (parameter === "1") this.lines[this.row] = " ".repeat(this.column) + line.slice(this.column);
        else if (parameter === "2") this.lines[this.row] = "";
        break;
      }
    }
  }

  private moveTo(row: number): void {
    while (this.lines.length <= row) this.lines.push("");
    this.row = row;
  }

  private put(text: string): void {
    const line = this.currentLine();
    this.lines[this.row] = line.slice(0, this.column).padEnd(this.column, " ") + text + line.slice(this.column + text.length);
    this.column += text.length;
  }
}

/** Raw TTY output as the plain text a person would read. */
export function renderText(raw: string): string {
  const screen = new Screen();
  screen.write(raw);
  return screen.text();
}

/** The line the cursor ends on. */
export function currentLine(raw: string): string {
  const screen = new Screen();
  screen.write(raw);
  return screen.currentLine();
}

/** The last `count` lines of the rendered output. */
export function tail(raw: string, count: number): string {
  const lines = renderText(raw).split("\n");
  return lines.slice(Math.max(0, lines.length - count)).join("\n");
}
