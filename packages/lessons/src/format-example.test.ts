import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseLesson } from "./parser/lesson-parser";

/**
 * FORMAT.md's complete example, read out of the page: each file is a caption
 * `hello-web/PATH`: followed by a fenced block. Keeps the documentation true.
 */
function formatExampleFiles(): Record<string, string> {
  const page = readFileSync(fileURLToPath(new URL("../FORMAT.md", import.meta.url)), "utf8");
  const files: Record<string, string> = {};
  const caption = /^`hello-web\/([^`]+)`:\n\n(`{3,})[^\n]*\n([\s\S]*?)\n\2\n/gm;
  for (const [, path, , content] of page.matchAll(caption)) files[path ?? ""] = `${content}\n`;
  return files;
}

describe("FORMAT.md's complete example", () => {
  it("is a valid lesson", () => {
    const files = formatExampleFiles();
    expect(Object.keys(files)).toEqual([
      "lesson.md",
      "files/site/style.css",
      "steps/01-write-the-files.md",
      "steps/02-serve-it.md",
      "steps/03-clean-up.md",
      "finish.md",
    ]);
    const texts = Object.fromEntries(Object.entries(files).filter(([path]) => path.endsWith(".md")));
    const { lesson, problems } = parseLesson({ directory: "/docs/hello-web", texts, files: Object.keys(files) });
    expect(problems).toEqual([]);
    expect(lesson?.steps.map((step) => [step.id, step.parts.map((part) => part.kind)])).toEqual([
      ["write-the-files", ["file", "file", "check"]],
      ["serve-it", ["run", "prose", "run", "hint", "prose", "run", "prose", "check"]],
      ["clean-up", ["prose", "hint", "solution", "check"]],
    ]);
    expect(lesson?.steps.map((step) => step.variant?.blocks.map((block) => block.kind) ?? [])).toEqual([[], [], ["run", "run"]]);
  });
});
