import { BUILT_IN_LESSONS_DIR, type Lesson, loadLessons } from "@drydock/lessons";
import type { Logger } from "@drydock/server-kit";

/** The lessons this server offers, read once at start. */
export interface LessonLibrary {
  all(): Lesson[];
  find(id: string): Lesson | undefined;
}

/**
 * Reads and validates the lessons: the built-in ones, or those of
 * `directories` (folders separated by ":", as in PATH; a lesson id found
 * again in a later folder is left out). A lesson with problems is left out
 * and each problem logged with its place and fix.
 */
export async function loadLessonLibrary(directories: string | undefined, log: Logger): Promise<LessonLibrary> {
  const byId = new Map<string, Lesson>();
  for (const directory of (directories ?? BUILT_IN_LESSONS_DIR).split(":")) {
    const library = await loadLessons(directory);
    for (const problem of library.problems) log.warn("lessons.problem", { ...problem });
    for (const lesson of library.lessons) {
      const earlier = byId.get(lesson.id);
      if (earlier) log.warn("lessons.duplicate_id", { lesson: lesson.id, kept: earlier.directory, left: lesson.directory });
      else byId.set(lesson.id, lesson);
    }
  }
  log.info("lessons.loaded", { lessons: [...byId.keys()] });
  return { all: () => [...byId.values()], find: (id) => byId.get(id) };
}
