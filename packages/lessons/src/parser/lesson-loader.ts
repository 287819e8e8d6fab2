import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import type { Lesson } from "../model";
import {
  FILES_FOLDER,
  FINISH_FILE,
  LESSON_FILE,
  type LessonParseResult,
  type LessonSources,
  type ParseOptions,
  parseLesson,
  STEPS_FOLDER,
} from "./lesson-parser";
import { type LessonProblem, problemAt, sortProblems } from "./problems";

/** Reads a lesson folder from disk: the Markdown texts and the list of every file in it. */
export async function readLessonSources(directory: string): Promise<LessonSources> {
  const root = resolve(directory);
  const files = (await listFiles(root)).map((file) => relative(root, file).split(sep).join("/"));
  const texts: Record<string, string> = {};
  const executables: string[] = [];
  for (const file of files) {
    if (file === LESSON_FILE || file === FINISH_FILE || (file.startsWith(`${STEPS_FOLDER}/`) && file.endsWith(".md"))) {
      texts[file] = await readFile(join(root, file), "utf8");
    }
    if (file.startsWith(`${FILES_FOLDER}/`) && ((await stat(join(root, file))).mode & 0o111) !== 0) executables.push(file);
  }
  return { directory: root, texts, files, executables };
}

async function listFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((entry) => !entry.name.startsWith("."))
      .map((entry) => {
        const path = join(directory, entry.name);
        return entry.isDirectory() ? listFiles(path) : Promise.resolve(entry.isFile() ? [path] : []);
      }),
  );
  return nested.flat().sort();
}

/** Loads and validates one lesson folder. */
export async function loadLesson(directory: string, options: ParseOptions = {}): Promise<LessonParseResult> {
  return parseLesson(await readLessonSources(directory), options);
}

export interface LessonLibrary {
  /** The lessons without problems, sorted by folder name. */
  lessons: Lesson[];
  /** Every problem of every lesson, and duplicate ids across lessons. */
  problems: LessonProblem[];
}

/**
 * Loads every lesson under a folder: the folder itself when it holds a
 * lesson.md, otherwise each of its sub-folders. Ids must be unique across
 * everything loaded together.
 */
export async function loadLessons(directory: string, options: ParseOptions = {}): Promise<LessonLibrary> {
  const root = resolve(directory);
  if (!existsSync(root)) {
    return {
      lessons: [],
      problems: [
        problemAt({ file: root, line: 1, column: 1 }, "The lessons folder does not exist.", "Pass the folder that holds the lessons."),
      ],
    };
  }
  let folders: string[];
  if (existsSync(join(root, LESSON_FILE))) {
    folders = [root];
  } else {
    const entries = await readdir(root, { withFileTypes: true });
    folders = entries
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
      .map((entry) => join(root, entry.name))
      .sort();
  }
  if (folders.length === 0) {
    return {
      lessons: [],
      problems: [
        problemAt({ file: root, line: 1, column: 1 }, "The folder holds no lessons.", "Each lesson is a sub-folder with a lesson.md."),
      ],
    };
  }
  const results = await Promise.all(folders.map((folder) => loadLesson(folder, options)));
  const problems = results.flatMap((result) => result.problems);
  const firstById = new Map<string, string>();
  for (const result of results) {
    if (!result.id) continue;
    const first = firstById.get(result.id.value);
    if (first) {
      problems.push(
        problemAt(
          result.id.place,
          `Duplicate lesson id "${result.id.value}" (also in ${first}).`,
          "Give each lesson a unique id in its front matter.",
        ),
      );
    } else {
      firstById.set(result.id.value, result.id.place.file);
    }
  }
  const duplicated = new Set(
    problems.filter((problem) => problem.message.startsWith("Duplicate lesson id")).map((problem) => problem.file),
  );
  const lessons = results.flatMap((result) => (result.lesson && !duplicated.has(result.id?.place.file ?? "") ? [result.lesson] : []));
  return { lessons, problems: sortProblems(problems) };
}
