/**
 * Turns raw TTY output into the text a person would see, line by line: escape
 * sequences dropped, carriage returns and "erase line" applied. Enough to find
 * a prompt and to show a readable transcript; not a full terminal emulator
 * (cursor movement across lines is ignored).
 */

// CSI (colours, erase, cursor), OSC (window title, ended by BEL or ST), charset selection, other two-byte escapes, CR, BS, text
const TOKEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal control sequences is the point
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[()][0-9A-Za-z]|\x1b[@-_]|\r|\x08|[^\x1b\r\x08]+/g;

/** One line of output (no "\n" inside) as it ends up on screen. */
export function renderLine(raw: string): string {
  let line = "";
  let cursor = 0;
  for (const [token] of raw.matchAll(TOKEN)) {
    if (token === "\r") {
      cursor = 0;
    } else if (token === "\x08") {
      cursor = Math.max(0, cursor - 1);
    } else if (token.startsWith("\x1b[")) {
      if (token.endsWith("K")) {
        const mode = token.slice(2, -1);
        if (mode === "" || mode === "0") line = line.slice(0, cursor);
        else if (mode === "2") line = "";
        else if (mode === "1") line = " ".repeat(cursor) + line.slice(cursor);
      }
    } else if (!token.startsWith("\x1b")) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to drop control characters
      const text = token.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "");
      line = line.slice(0, cursor).padEnd(cursor, " ") + text + line.slice(cursor + text.length);
      cursor += text.length;
    }
  }
  return line;
}

/** The whole output as plain lines. */
export function renderText(raw: string): string {
  return raw
    .split("\n")
    .map((line) => renderLine(line).trimEnd())
    .join("\n");
}

/** The line the cursor is on: what a person looks at to see whether the shell waits for input. */
export function currentLine(raw: string): string {
  return renderLine(raw.slice(raw.lastIndexOf("\n") + 1));
}

/** The last `count` lines of the rendered output. */
export function tail(raw: string, count: number): string {
  const lines = renderText(raw).split("\n");
  return lines.slice(Math.max(0, lines.length - count)).join("\n");
}
