import { WORKSPACE_ROOTS, workspaceProblem } from "@drydock/protocol";
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { DEFAULT_WORKSPACE, LEVELS, slugSchema } from "../model";
import { type LessonProblem, problemAt, type SourcePlace } from "./problems";

/** lesson.md's front matter, as the author writes it. */
export const frontMatterSchema = z.strictObject({
  id: slugSchema,
  title: z.string().trim().min(1, "must not be empty"),
  summary: z.string().trim().min(1, "must not be empty"),
  level: z.enum(LEVELS),
  minutes: z.number().int().positive(),
  tags: z.array(slugSchema).default([]),
  workspace: z
    .string()
    .superRefine((path, context) => {
      const problem = workspaceProblem(path);
      if (problem) context.addIssue({ code: "custom", message: problem });
    })
    .default(DEFAULT_WORKSPACE),
  requirePass: z.boolean().default(false),
  files: z
    .array(
      z.union([
        z.string().min(1),
        z.strictObject({
          path: z.string().min(1),
          source: z.string().min(1).optional(),
          mode: z
            .string()
            .regex(/^0?[0-7]{3,4}$/, 'must be octal permission bits in quotes, e.g. "0755"')
            .optional(),
        }),
      ]),
    )
    .default([]),
});
export type FrontMatter = z.infer<typeof frontMatterSchema>;

const KEYS = Object.keys(frontMatterSchema.shape);

/** How to fix each key, for messages. */
const FIXES: Record<string, string> = {
  id: "Use lowercase letters, digits and dashes, e.g. id: commit-a-container (unique among all lessons).",
  title: "Give a short title, e.g. title: Commit a container.",
  summary: "Write one sentence saying what the learner will do.",
  level: `Use one of: ${LEVELS.join(", ")}.`,
  minutes: "Write a whole number of minutes, e.g. minutes: 15.",
  tags: "Write a list of lowercase words, e.g. tags: [images, dockerfile].",
  workspace: `Write an absolute path below ${WORKSPACE_ROOTS.join(", ")}, e.g. workspace: /root/lab (the default).`,
  requirePass: "Write requirePass: true (every step's check must pass before Next) or leave it out (false).",
  files:
    'List paths under the lesson\'s files/ folder (- static/pizza.svg), or entries like {path: run.sh, source: files/run.sh, mode: "0755"}.',
};

export interface FrontMatterSplit {
  yaml: string;
  /** The file line where the YAML text starts (the line after the opening ---). */
  yamlLine: number;
  /** The file's text with the front matter replaced by blank lines, so Markdown positions stay the file's. */
  body: string;
}

export function splitFrontMatter(text: string, file: string): FrontMatterSplit | LessonProblem {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (lines[0]?.trim() !== "---") {
    return problemAt(
      { file, line: 1, column: 1 },
      "lesson.md does not start with front matter.",
      "Start the file with a line ---, the YAML fields (id, title, summary, level, minutes, ...), and another line ---.",
    );
  }
  const end = lines.findIndex((line, index) => index > 0 && line.trim() === "---");
  if (end < 0) {
    return problemAt({ file, line: 1, column: 1 }, "The front matter is not closed.", "End the front matter with a line ---.");
  }
  return {
    yaml: lines.slice(1, end).join("\n"),
    yamlLine: 2,
    body: [...lines.slice(0, end + 1).map(() => ""), ...lines.slice(end + 1)].join("\n"),
  };
}

export interface ParsedFrontMatter {
  value: FrontMatter | undefined;
  problems: LessonProblem[];
  /** Where a field (or the nearest field above it) was written, e.g. ["files", 2]. */
  placeOf(path: (string | number)[]): SourcePlace;
}

export function parseFrontMatter(split: FrontMatterSplit, file: string): ParsedFrontMatter {
  const lineCounter = new LineCounter();
  const document = parseDocument(split.yaml, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const placeAtOffset = (offset: number): SourcePlace => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line: line + split.yamlLine - 1, column: col };
  };
  const start: SourcePlace = { file, line: 1, column: 1 };
  const placeOf = (path: (string | number)[]): SourcePlace => {
    for (let length = path.length; length > 0; length--) {
      const node = document.getIn(path.slice(0, length), true);
      if (isNode(node) && node.range) return placeAtOffset(node.range[0]);
    }
    // A missing field: point at the fields it belongs with.
    return isNode(document.contents) && document.contents.range ? placeAtOffset(document.contents.range[0]) : start;
  };

  const problems: LessonProblem[] = [];
  for (const error of document.errors) {
    problems.push(
      problemAt(
        placeAtOffset(error.pos[0]),
        `The front matter is not valid YAML: ${error.message.split("\n")[0]}`,
        "Fix the YAML: one `key: value` per line, lists as `- item` or [a, b]; quote values that contain ': ' or start with special characters.",
      ),
    );
  }
  if (problems.length > 0) return { value: undefined, problems, placeOf };
  if (!isMap(document.contents)) {
    problems.push(problemAt(start, "The front matter is not a set of `key: value` fields.", FIXES.id ?? ""));
    return { value: undefined, problems, placeOf };
  }

  const parsed = frontMatterSchema.safeParse(document.toJS());
  if (parsed.success) return { value: parsed.data, problems, placeOf };
  for (const issue of parsed.error.issues) {
    const path = issue.path.filter((key): key is string | number => typeof key !== "symbol");
    const key = String(path[0] ?? "");
    if (issue.code === "unrecognized_keys") {
      for (const unknown of issue.keys) {
        const pair = unknownKeyPlace(document.getIn(path, false) ?? document.contents, unknown);
        const place = pair !== undefined ? placeAtOffset(pair) : placeOf(path);
        const where = path.length > 0 ? ` in ${path.join(".")}` : "";
        const keys = path[0] === "files" ? "path, source, mode" : KEYS.join(", ");
        problems.push(
          problemAt(place, `Unknown front matter key "${unknown}"${where}.`, `Remove it or fix its spelling; the keys are: ${keys}.`),
        );
      }
      continue;
    }
    const missing = issue.code === "invalid_type" && document.getIn(path, true) === undefined;
    const field = path.join(".") || "front matter";
    problems.push(
      problemAt(
        placeOf(path),
        missing ? `The front matter has no ${field}.` : `The front matter's ${field} ${describeIssue(issue)}.`,
        FIXES[key] ?? `Use the keys ${KEYS.join(", ")}.`,
      ),
    );
  }
  return { value: undefined, problems, placeOf };
}

function unknownKeyPlace(node: unknown, key: string): number | undefined {
  if (!isMap(node)) return undefined;
  const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
  return isPair(pair) && isNode(pair.key) ? pair.key.range?.[0] : undefined;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") return `must be ${article(issue.expected)}`;
  if (issue.code === "invalid_value") return `must be one of ${issue.values.map(String).join(", ")}`;
  if (issue.code === "invalid_union") return "is neither a path nor a {path, source, mode} entry";
  return issue.message;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
