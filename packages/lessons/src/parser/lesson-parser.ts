import { posix } from "node:path";
import { type Lesson, type LessonFile, lessonSchema, type Page, type Part, type Step } from "../model";
import { type FrontMatter, parseFrontMatter, splitFrontMatter } from "./front-matter";
import { parsePage } from "./page-parser";
import { type LessonProblem, problemAt, type SourcePlace, sortProblems } from "./problems";
import { bashSyntaxChecker, type ShellSyntaxChecker } from "./shell-syntax";

/**
 * A lesson folder's contents, read but not parsed: the parser itself touches
 * no disk, so tests and importers can hand it files from memory.
 */
export interface LessonSources {
  /** The lesson folder; problems name files inside it, and the model keeps it as `directory`. */
  directory: string;
  /** The text of lesson.md, finish.md and steps/*.md, by "/"-separated path relative to the folder. */
  texts: Record<string, string>;
  /** Every file in the folder, relative ("files/static/pizza-1.svg"). */
  files: string[];
  /** Those of `files` that are executable: placed with mode 0755 when the front matter gives no mode. */
  executables?: string[];
}

export interface ParseOptions {
  checkShellSyntax?: ShellSyntaxChecker;
}

export interface LessonParseResult {
  /** Present only when there are no problems. */
  lesson: Lesson | undefined;
  problems: LessonProblem[];
  /** The lesson's id and where it was written, when the front matter named one (to find duplicates across lessons). */
  id?: { value: string; place: SourcePlace };
}

export const LESSON_FILE = "lesson.md";
export const FINISH_FILE = "finish.md";
export const STEPS_FOLDER = "steps";
export const FILES_FOLDER = "files";
const STEP_FILE = /^(\d+)-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;

export function parseLesson(sources: LessonSources, options: ParseOptions = {}): LessonParseResult {
  const checkShellSyntax = options.checkShellSyntax ?? bashSyntaxChecker;
  const problems: LessonProblem[] = [];
  const pathOf = (relative: string) => posix.join(sources.directory, relative);
  const lessonPath = pathOf(LESSON_FILE);

  const lessonText = sources.texts[LESSON_FILE];
  if (lessonText === undefined) {
    return {
      lesson: undefined,
      problems: [
        problemAt(
          { file: lessonPath, line: 1, column: 1 },
          "The folder has no lesson.md.",
          "Add lesson.md with the front matter and the intro.",
        ),
      ],
    };
  }

  let frontMatter: FrontMatter | undefined;
  let files: LessonFile[] = [];
  let id: LessonParseResult["id"];
  let intro: Page | undefined;
  const split = splitFrontMatter(lessonText, lessonPath);
  if ("message" in split) {
    problems.push(split);
  } else {
    const parsed = parseFrontMatter(split, lessonPath);
    problems.push(...parsed.problems);
    frontMatter = parsed.value;
    if (frontMatter) {
      id = { value: frontMatter.id, place: parsed.placeOf(["id"]) };
      files = lessonFiles(frontMatter, sources, parsed.placeOf, problems);
    }
    const page = parsePage(split.body, { file: lessonPath, place: "intro", checkShellSyntax });
    problems.push(...page.problems);
    intro = { file: lessonPath, title: frontMatter?.title ?? "Introduction", parts: page.parts, portLinks: page.portLinks };
  }

  const steps = parseSteps(sources, pathOf, checkShellSyntax, problems, frontMatter?.requirePass ?? false);
  if (steps.length === 0 && !problems.some((problem) => problem.file.includes(`/${STEPS_FOLDER}/`))) {
    problems.push(
      problemAt(
        { file: lessonPath, line: 1, column: 1 },
        "The lesson has no steps.",
        `Add step files in ${STEPS_FOLDER}/, named like 01-run-a-container.md, each starting with a # Title.`,
      ),
    );
  }

  let finish: Page | undefined;
  const finishText = sources.texts[FINISH_FILE];
  if (finishText !== undefined) {
    const finishPath = pathOf(FINISH_FILE);
    const page = parsePage(finishText, { file: finishPath, place: "finish", checkShellSyntax, titleHeading: true });
    problems.push(...page.problems);
    finish = { file: finishPath, title: page.title?.text || "Finish", parts: page.parts, portLinks: page.portLinks };
  }

  if (problems.length > 0 || !frontMatter || !intro) return { lesson: undefined, problems: sortProblems(problems), id };

  const candidate = {
    id: frontMatter.id,
    title: frontMatter.title,
    summary: frontMatter.summary,
    level: frontMatter.level,
    minutes: frontMatter.minutes,
    tags: frontMatter.tags,
    workspace: frontMatter.workspace,
    files,
    directory: sources.directory,
    intro,
    steps,
    ...(finish ? { finish } : {}),
  };
  // The parser builds the model; the schema proves it is what the types promise.
  const validated = lessonSchema.safeParse(candidate);
  if (!validated.success) {
    const issues = validated.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    return {
      lesson: undefined,
      problems: [
        problemAt(
          { file: lessonPath, line: 1, column: 1 },
          `The parsed lesson does not match the model (${issues}).`,
          "Report this as a parser bug.",
        ),
      ],
      id,
    };
  }
  return { lesson: validated.data, problems: [], id };
}

function parseSteps(
  sources: LessonSources,
  pathOf: (relative: string) => string,
  checkShellSyntax: ShellSyntaxChecker,
  problems: LessonProblem[],
  lessonRequiresPass: boolean,
): Step[] {
  const stepFiles = sources.files
    .filter((file) => file.startsWith(`${STEPS_FOLDER}/`) && file.endsWith(".md"))
    .map((file) => ({ file, match: STEP_FILE.exec(file.slice(STEPS_FOLDER.length + 1)) }));
  for (const { file, match } of stepFiles) {
    if (!match) {
      problems.push(
        problemAt(
          { file: pathOf(file), line: 1, column: 1 },
          `The step file name "${file}" does not say the step's order and id.`,
          `Name step files NUMBER-id.md with a lowercase, dashed id, e.g. ${STEPS_FOLDER}/01-run-a-container.md.`,
        ),
      );
    }
  }
  const ordered = stepFiles
    .flatMap(({ file, match }) => (match ? [{ file, order: Number(match[1]), id: match[2] ?? "" }] : []))
    .sort((a, b) => a.order - b.order || a.file.localeCompare(b.file));

  const steps: Step[] = [];
  const seenIds = new Map<string, string>();
  for (const { file, id } of ordered) {
    const path = pathOf(file);
    const top = { file: path, line: 1, column: 1 };
    const earlier = seenIds.get(id);
    if (earlier) {
      problems.push(
        problemAt(top, `Duplicate step id "${id}" (also ${earlier}).`, "Give each step file a different name after its number."),
      );
    }
    seenIds.set(id, file);
    const page = parsePage(sources.texts[file] ?? "", { file: path, place: "step", checkShellSyntax, titleHeading: true });
    problems.push(...page.problems);
    if (!page.title || page.title.text === "") {
      problems.push(
        problemAt(top, "The step does not start with a # Title.", "Make the first line a level-1 heading, e.g. # Run a container."),
      );
    }
    const checks = page.parts.filter((part) => part.kind === "check");
    const [check, second] = checks;
    if (second) {
      problems.push(
        problemAt(
          second.position,
          "The step has more than one ```check block.",
          "Merge the checks into one script: each test prints its own FAIL: line.",
        ),
      );
    }
    // A broken check is reported as such; "no check" would send the author looking in the wrong place.
    if (!check && !page.brokenKinds.has("check")) {
      problems.push(
        problemAt(
          page.title?.position ?? top,
          `Step "${id}" has no check.`,
          "Add a ```check block: a bash script that exits 0 once the step is done and prints a FAIL: line for what is missing.",
        ),
      );
    }
    const brokenAction = ["run", "file", "solution"].some((kind) => page.brokenKinds.has(kind as "run"));
    if (!canBePerformed(page.parts) && !brokenAction) {
      problems.push(
        problemAt(
          page.title?.position ?? top,
          `Step "${id}" has nothing the runner can perform (no run or file block, none in a solution).`,
          "Add the commands as ```run blocks or the files as ```file blocks, or put them in a ````solution block.",
        ),
      );
    }
    const [variant, secondVariant] = page.variants;
    if (secondVariant) {
      problems.push(
        problemAt(
          secondVariant.position,
          "The step has more than one ```variant block.",
          "Keep one: the runner's second pass performs each step one other way; fold the others into it.",
        ),
      );
    }
    if (check && page.title) {
      const requirePass = check.gate === "required" || (lessonRequiresPass && check.gate !== "optional");
      steps.push({
        id,
        file: path,
        title: page.title.text,
        parts: page.parts,
        portLinks: page.portLinks,
        check,
        requirePass,
        ...(variant ? { variant } : {}),
      });
    }
  }
  return steps;
}

function canBePerformed(parts: Part[]): boolean {
  return parts.some(
    (part) =>
      part.kind === "run" || part.kind === "file" || (part.kind === "solution" && part.blocks.some((block) => block.kind !== "copy")),
  );
}

/** The front matter's `files`, normalised, each source checked to exist inside the folder. */
function lessonFiles(
  frontMatter: FrontMatter,
  sources: LessonSources,
  placeOf: (path: (string | number)[]) => SourcePlace,
  problems: LessonProblem[],
): LessonFile[] {
  const files: LessonFile[] = [];
  const destinations = new Set<string>();
  for (const [index, entry] of frontMatter.files.entries()) {
    const place = placeOf(["files", index]);
    const path = typeof entry === "string" ? entry : entry.path;
    const explicitSource = typeof entry === "string" ? undefined : entry.source;
    const source = posix.normalize(explicitSource ?? posix.join(FILES_FOLDER, path));
    if (!explicitSource && posix.isAbsolute(path)) {
      problems.push(
        problemAt(
          place,
          `The file "${path}" is absolute, so its source cannot be found under ${FILES_FOLDER}/.`,
          "Add source: files/NAME to this entry.",
        ),
      );
      continue;
    }
    if (source.startsWith("..") || posix.isAbsolute(source)) {
      problems.push(
        problemAt(place, `The source "${source}" is outside the lesson folder.`, `Put the file in the lesson's ${FILES_FOLDER}/ folder.`),
      );
      continue;
    }
    if (!sources.files.includes(source)) {
      problems.push(
        problemAt(
          place,
          `The file "${source}" named in the front matter does not exist.`,
          `Add it to the lesson folder or fix the path (relative to ${FILES_FOLDER}/).`,
        ),
      );
      continue;
    }
    if (destinations.has(path)) {
      problems.push(problemAt(place, `The file "${path}" is listed twice.`, "Keep one entry per destination path."));
      continue;
    }
    destinations.add(path);
    const stated = typeof entry === "string" || entry.mode === undefined ? undefined : Number.parseInt(entry.mode, 8);
    // An executable script stays executable, as git keeps it, without a mode written out.
    const mode = stated ?? (sources.executables?.includes(source) ? 0o755 : undefined);
    files.push({ path, source, ...(mode !== undefined ? { mode } : {}) });
  }
  return files;
}
