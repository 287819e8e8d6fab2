import { BUILT_IN_LESSONS_DIR, type Lesson, loadLessons } from "@drydock/lessons";
import type { Logger } from "@drydock/server-kit";

/** The lessons this server offers, read once at start. */
export interface LessonLibrary {
  all(): Lesson[];
  find(id: string): Lesson | undefined;
}

/**
 * Reads and validates the lessons (the built-in ones, or `directory`). A
 * lesson with problems is left out and each problem logged with its place and fix.
 */
export async function loadLessonLibrary(directory: string | undefined, log: Logger): Promise<LessonLibrary> {
  const library = await loadLessons(directory ?? BUILT_IN_LESSONS_DIR);
  for (const problem of library.problems) log.warn("lessons.problem", { ...problem });
  log.info("lessons.loaded", { lessons: library.lessons.map((lesson) => lesson.id) });
  const byId = new Map<string, Lesson>(library.lessons.map((lesson) => [lesson.id, lesson]));
  return { all: () => [...byId.values()], find: (id) => byId.get(id) };
}
