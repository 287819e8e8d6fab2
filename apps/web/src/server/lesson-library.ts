import { BUILT_IN_LESSONS_DIR, type Lesson, loadLessons } from "@drydock/lessons";
import type { Logger } from "@drydock/server-kit";
import { webConfig } from "./config";
import { LESSONS_KEY } from "./lessons";

/**
 * Reads and validates the lessons once, at start, for the whole process
 * (server.ts calls this; Next's bundles cannot locate the lessons folder,
 * so pages and routes read what this put in place). A lesson with problems
 * is left out and each problem logged with its place and fix.
 */
export function provideLessons(log: Logger): void {
  const loading = (async () => {
    const library = await loadLessons(webConfig().LESSONS_DIR ?? BUILT_IN_LESSONS_DIR);
    for (const problem of library.problems) log.warn("lessons.problem", { ...problem });
    log.info("lessons.loaded", { lessons: library.lessons.map((lesson) => lesson.id) });
    return new Map<string, Lesson>(library.lessons.map((lesson) => [lesson.id, lesson]));
  })();
  loading.catch((error: unknown) => log.error("lessons.load_failed", { error }));
  (globalThis as Record<symbol, unknown>)[LESSONS_KEY] = loading;
}
