import type { Lesson, Page, Part } from "@drydock/lessons";
import { fromMarkdown } from "mdast-util-from-markdown";
import type { LessonSummary, LessonView, MdNode, PageView, PartView } from "@/lesson-view/types";
import { workspacePath } from "./lesson-files";

/** Keeps only what rendering needs of a Markdown syntax tree (no positions, no raw HTML interpretation). */
function simplify(node: { type: string; children?: unknown[] } & Record<string, unknown>): MdNode {
  const simple: MdNode = { type: node.type };
  for (const key of ["value", "url", "depth", "ordered", "start", "lang"] as const) {
    if (node[key] !== undefined) (simple as unknown as Record<string, unknown>)[key] = node[key];
  }
  if (Array.isArray(node.children)) simple.children = node.children.map((child) => simplify(child as Parameters<typeof simplify>[0]));
  return simple;
}

export function markdownTree(markdown: string): MdNode {
  return simplify(fromMarkdown(markdown) as unknown as Parameters<typeof simplify>[0]);
}

function partView(lesson: Lesson, part: Part): PartView[] {
  switch (part.kind) {
    case "prose":
      return [{ kind: "prose", tree: markdownTree(part.markdown) }];
    case "run":
      return [{ kind: "run", command: part.command, interrupt: part.interrupt }];
    case "copy":
      return [{ kind: "copy", text: part.text, lang: part.lang ?? null }];
    case "file": {
      const path = workspacePath(lesson, part.path);
      // The editor shows the workspace only; a file elsewhere is shown for copying instead.
      if (!path) return [{ kind: "copy", text: part.content, lang: part.lang ?? null }];
      return [{ kind: "file", path, append: part.append, content: part.content, lang: part.lang ?? null }];
    }
    case "hint":
      return [{ kind: "hint", tree: markdownTree(part.markdown) }];
    case "solution":
      return [{ kind: "solution", parts: part.blocks.flatMap((block) => partView(lesson, block)) }];
    // The check has its own button; setup scripts run out of sight.
    case "check":
    case "setup":
      return [];
  }
}

function pageView(lesson: Lesson, page: Page): PageView {
  return { title: page.title, parts: page.parts.flatMap((part) => partView(lesson, part)) };
}

export function lessonSummary(lesson: Lesson): LessonSummary {
  const { id, title, summary, level, minutes, tags } = lesson;
  return { id, title, summary, level, minutes, tags, stepCount: lesson.steps.length };
}

export function lessonView(lesson: Lesson): LessonView {
  return {
    ...lessonSummary(lesson),
    workspace: lesson.workspace,
    intro: pageView(lesson, lesson.intro),
    steps: lesson.steps.map((step) => ({
      ...pageView(lesson, step),
      id: step.id,
      check: { script: step.check.script, timeoutMs: step.check.timeoutSeconds * 1000 },
      requirePass: step.requirePass,
    })),
    finish: lesson.finish ? pageView(lesson, lesson.finish) : null,
  };
}
