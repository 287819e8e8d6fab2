import type { ImportNote } from "./import-notes";

/**
 * Killercoda step Markdown → this format's Markdown:
 *
 *   ```                      ```run
 *   docker ps          →     docker ps
 *   ```{{exec}}              ```
 *
 *   `ls -l`{{exec}}    →     `ls -l` in the text, and a ```run block after the paragraph
 *   {{exec interrupt}} →     ```run interrupt          {{copy}} → ```copy
 *   [app]({{TRAFFIC_HOST1_8080}}/x)  →  [app](port:8080/x)
 *
 * Katacoda's older `{{execute}}` is read as `{{exec}}`. Anything else in
 * `{{ }}` cannot be mapped: it is removed and reported.
 */
export function convertKillercodaMarkdown(text: string, file: string): { markdown: string; notes: ImportNote[] } {
  return new MarkdownConverter(file).convert(text);
}

const OPEN_FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/;
const INLINE_ACTION = /`([^`\n]+)`\{\{\s*([a-zA-Z]+)([^}]*)\}\}/g;
const MARKER = /\{\{\s*([^}]*?)\s*\}\}/g;
const TRAFFIC = /^TRAFFIC_HOST(\d+)_(\d+)$/;

type Action = { kind: "run"; interrupt: boolean } | { kind: "copy" };

class MarkdownConverter {
  private readonly notes: ImportNote[] = [];
  private readonly out: string[] = [];
  /** Blocks made from inline actions, placed after the paragraph they stand in. */
  private pending: { action: Action; text: string }[] = [];
  /** A top-level fence was just closed: the next text line starts after a blank line. */
  private fenceClosed = false;

  constructor(private readonly file: string) {}

  convert(text: string): { markdown: string; notes: ImportNote[] } {
    const lines = text.replace(/\r\n?/g, "\n").split("\n");
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index] ?? "";
      const fence = OPEN_FENCE.exec(line);
      if (fence) {
        index = this.fencedBlock(lines, index, fence[1] ?? "", fence[2] ?? "```", (fence[3] ?? "").trim());
        continue;
      }
      if (line.trim() === "") this.flushPending();
      else if (this.fenceClosed) this.out.push("");
      this.fenceClosed = false;
      this.out.push(this.textLine(line, index + 1));
    }
    this.flushPending();
    return { markdown: this.out.join("\n"), notes: this.notes };
  }

  /**
   * Pushes a fenced block that stands at the top level with a blank line
   * before it and after it. Killercoda's pages put fences straight inside
   * HTML (`<details><summary>Solution</summary>` then a fence, then
   * `</details>`); in CommonMark an HTML block runs until a blank line, so
   * without one the block is swallowed into the HTML, and a blank line inside
   * its content would end the HTML mid-fence and leave a fence open that
   * swallows the rest of the page, the step's check included.
   */
  private pushTopLevelFence(lines: string[]): void {
    if (this.out.length > 0 && this.out.at(-1)?.trim() !== "") this.out.push("");
    this.out.push(...lines);
    this.fenceClosed = true;
  }

  /** Copies a fenced block, turning it into a run/copy block when its closing fence carries an action. Returns the last line's index. */
  private fencedBlock(lines: string[], start: number, indent: string, opening: string, info: string): number {
    const closing = new RegExp(`^\\s*(${opening[0] === "`" ? "`" : "~"}{${opening.length},})\\s*(?:\\{\\{\\s*([^}]*?)\\s*\\}\\})?\\s*$`);
    const body: string[] = [];
    for (let index = start + 1; index < lines.length; index++) {
      const line = lines[index] ?? "";
      const close = closing.exec(line);
      if (!close) {
        body.push(line);
        continue;
      }
      const marker = close[2];
      const action = marker === undefined ? undefined : this.action(marker, index + 1);
      if (!action) {
        const block = [lines[start] ?? "", ...body, `${indent}${close[1]}`];
        if (indent === "") this.pushTopLevelFence(block);
        else this.out.push(...block);
        return index;
      }
      // Blocks of this format stand at the top level: take the block out of its list item.
      if (indent !== "") {
        this.note("approximated", start + 1, "An indented command block (in a list) was moved to the top level, as this format requires.");
      }
      const dedented = body.map((bodyLine) => (bodyLine.startsWith(indent) ? bodyLine.slice(indent.length) : bodyLine.trimStart()));
      const language = info.split(/\s+/)[0] ?? "";
      const kind = action.kind === "run" ? (action.interrupt ? "run interrupt" : "run") : language ? `copy lang=${language}` : "copy";
      this.pushTopLevelFence([`\`\`\`${kind}`, ...dedented, "```"]);
      return index;
    }
    // Unclosed: copy as it is; the parser reports it if it matters.
    this.out.push(lines[start] ?? "", ...body);
    return lines.length - 1;
  }

  private textLine(line: string, lineNumber: number): string {
    const withActions = line.replace(INLINE_ACTION, (_whole, code: string, word: string, rest: string) => {
      const action = this.action(`${word}${rest}`, lineNumber);
      if (action) this.pending.push({ action, text: code });
      return `\`${code}\``;
    });
    return withActions.replace(MARKER, (_whole, inner: string) => {
      const traffic = TRAFFIC.exec(inner);
      if (traffic) {
        if (traffic[1] !== "1") {
          this.note(
            "unmapped",
            lineNumber,
            `{{${inner}}} points at host ${traffic[1]}; a Drydock sandbox is one machine, so it links to port ${traffic[2]} of it.`,
          );
        }
        return `port:${traffic[2]}`;
      }
      if (inner === "TRAFFIC_SELECTOR") {
        this.note(
          "unmapped",
          lineNumber,
          "{{TRAFFIC_SELECTOR}} (Killercoda's port chooser) has no equivalent; link to a port with port:NUMBER/path.",
        );
        return "the sandbox's published ports";
      }
      this.note("unmapped", lineNumber, `{{${inner}}} has no equivalent in this format and was removed.`);
      return "";
    });
  }

  /** Reads an action marker ("exec", "exec interrupt", "copy", Katacoda's "execute T2"); reports what it cannot keep. */
  private action(marker: string, lineNumber: number): Action | undefined {
    const [word = "", ...options] = marker.trim().split(/\s+/);
    const verb = word.toLowerCase();
    if (verb === "copy") return { kind: "copy" };
    if (verb !== "exec" && verb !== "execute") {
      this.note("unmapped", lineNumber, `{{${marker.trim()}}} has no equivalent in this format; the code is kept as plain text.`);
      return undefined;
    }
    const interrupt = options.some((option) => option.toLowerCase() === "interrupt");
    const others = options.filter((option) => option.toLowerCase() !== "interrupt");
    if (others.length > 0) {
      this.note(
        "unmapped",
        lineNumber,
        `{{${marker.trim()}}}: "${others.join(" ")}" (another terminal or host) is not supported; the command runs in the one terminal.`,
      );
    }
    return { kind: "run", interrupt };
  }

  private flushPending(): void {
    if (this.pending.length === 0) return;
    if (this.out.at(-1)?.trim() !== "") this.out.push("");
    for (const { action, text } of this.pending) {
      const kind = action.kind === "run" ? (action.interrupt ? "run interrupt" : "run") : "copy";
      this.out.push(`\`\`\`${kind}`, text, "```", "");
    }
    this.out.pop();
    this.pending = [];
  }

  private note(kind: ImportNote["kind"], line: number, message: string): void {
    this.notes.push({ kind, file: this.file, line, message });
  }
}
