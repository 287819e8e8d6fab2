/**
 * Killercoda pages fold their tips and solutions in HTML:
 *
 *   <br>
 *   <details><summary>Solution</summary>
 *   <br>
 *   ...Markdown, command blocks...
 *   </details>
 *
 * Drydock shows a lesson's HTML as text (never as markup), so these become
 * the format's own folded blocks: a `solution` (its commands are what the
 * runner performs) when the summary says Solution or Answer, a `hint`
 * otherwise, whose command blocks turn into plain samples (a hint holds no
 * blocks to run). `<br>` lines, Killercoda's spacing, are dropped. Runs on
 * Markdown already converted (`{{exec}}` fences are run blocks by then).
 */
export function detailsToBlocks(markdown: string): string {
  const lines = markdown.split("\n");
  const out: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    const fence = FENCE.exec(line);
    if (fence) {
      const end = closingFence(lines, index, fence[1] ?? "```");
      out.push(...lines.slice(index, end + 1));
      index = end;
      continue;
    }
    if (BREAK.test(line)) continue;
    if (OPEN.test(line)) {
      const folded = foldedBlock(lines, index);
      if (folded) {
        if (out.length > 0 && out.at(-1)?.trim() !== "") out.push("");
        out.push(...folded.block, "");
        index = folded.end;
        continue;
      }
    }
    out.push(line);
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n");
}

const FENCE = /^\s*(`{3,}|~{3,})/;
const BREAK = /^\s*<br\s*\/?>\s*$/i;
const OPEN = /^\s*<details(\s[^>]*)?>/i;
const CLOSE = /^\s*<\/details>\s*$/i;
const SUMMARY = /<summary>(.*?)<\/summary>/i;
const PLAIN_SUMMARY = /^(solution|answer|hint|tip)s?(\s*\d+)?$/i;

/** The index of the line that closes the fence opened at `start` (the last line when it is never closed). */
function closingFence(lines: string[], start: number, opening: string): number {
  const closing = new RegExp(`^\\s*${opening[0] === "`" ? "`" : "~"}{${opening.length},}\\s*$`);
  for (let index = start + 1; index < lines.length; index++) if (closing.test(lines[index] ?? "")) return index;
  return lines.length - 1;
}

/** A `<details>` region from `start` as a solution or hint block, and its last line; undefined when it is not closed. */
function foldedBlock(lines: string[], start: number): { block: string[]; end: number } | undefined {
  let summary = "";
  const inner: string[] = [];
  // The opening line may carry the summary and the first words.
  let rest = (lines[start] ?? "").replace(OPEN, "");
  for (let index = start; index < lines.length; index++) {
    const line = index === start ? rest : (lines[index] ?? "");
    if (index > start && FENCE.test(line)) {
      const end = closingFence(lines, index, FENCE.exec(line)?.[1] ?? "```");
      inner.push(...lines.slice(index, end + 1));
      index = end;
      continue;
    }
    if (index > start && OPEN.test(line)) return undefined; // nested: left as it is
    if (CLOSE.test(line)) return { block: wrap(summary, inner), end: index };
    const found = !summary ? SUMMARY.exec(line) : null;
    if (found) {
      summary = stripTags(found[1] ?? "").trim() || "Solution";
      rest = line.replace(SUMMARY, "");
      if (rest.trim() !== "" && !BREAK.test(rest)) inner.push(rest);
      continue;
    }
    if (BREAK.test(line) || (index === start && line.trim() === "")) continue;
    inner.push(line.replace(/<\/details>\s*$/i, ""));
    if (/<\/details>\s*$/i.test(line)) return { block: wrap(summary, inner), end: index };
  }
  return undefined;
}

function wrap(summary: string, inner: string[]): string[] {
  const kind = /solution|answer/i.test(summary) ? "solution" : "hint";
  const body = trimBlank(kind === "hint" ? inner.map(asSample) : inner);
  if (summary && !PLAIN_SUMMARY.test(summary)) body.unshift(`**${summary}**`, "");
  const longest = Math.max(2, ...body.map((line) => /^\s*(`+)/.exec(line)?.[1]?.length ?? 0));
  const fence = "`".repeat(longest + 1);
  return [`${fence}${kind}`, ...body, fence];
}

/** In a hint, a block to run or copy becomes a plain sample. */
function asSample(line: string): string {
  return line.replace(/^(\s*`{3,})(run|copy)\b.*$/, "$1sh");
}

function trimBlank(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]?.trim() === "") start++;
  while (end > start && lines[end - 1]?.trim() === "") end--;
  return lines.slice(start, end);
}

function stripTags(text: string): string {
  return text.replace(/<[^>]*>/g, "");
}
