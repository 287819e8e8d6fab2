import { readFile } from "node:fs/promises";
import { join, posix } from "node:path";
import type { Lesson } from "@drydock/lessons";
import { createLogger } from "@drydock/server-kit";

const log = createLogger("web");

/** Where server.ts leaves the lesson library for the bundled pages and routes (see lesson-library.ts). */
export const LESSONS_KEY = Symbol.for("drydock.lessons");

export function lessons(): Promise<Map<string, Lesson>> {
  const library = (globalThis as Record<symbol, unknown>)[LESSONS_KEY] as Promise<Map<string, Lesson>> | undefined;
  if (!library) throw new Error("The lessons are not loaded: start the web app with server.ts (npm start), which loads them.");
  return library;
}

export async function findLesson(id: string): Promise<Lesson | undefined> {
  return (await lessons()).get(id);
}

/** A lesson path as the files channel names it (relative to the workspace), or undefined when it lies outside. */
export function workspacePath(lesson: Lesson, path: string): string | undefined {
  const relative = posix.relative(lesson.workspace, posix.resolve(lesson.workspace, path));
  return relative && !relative.startsWith("..") && !posix.isAbsolute(relative) ? relative : undefined;
}

/** The files a lesson places in its workspace before the first step, with their text. */
export async function lessonFiles(lesson: Lesson): Promise<{ path: string; content: string }[]> {
  const placed: { path: string; content: string }[] = [];
  for (const file of lesson.files) {
    const path = workspacePath(lesson, file.path);
    if (!path) {
      log.warn("lessons.file_outside_workspace", { lesson: lesson.id, path: file.path });
      continue;
    }
    placed.push({ path, content: await readFile(join(lesson.directory, file.source), "utf8") });
  }
  return placed;
}
