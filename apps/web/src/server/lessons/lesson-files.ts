import { readFile } from "node:fs/promises";
import { join, posix } from "node:path";
import type { Lesson } from "@drydock/lessons";
import type { FileToWrite } from "@drydock/protocol";
import type { Logger } from "@drydock/server-kit";

/** A lesson path as the files channel names it (relative to the workspace), or undefined when it lies outside. */
export function workspacePath(lesson: Lesson, path: string): string | undefined {
  const relative = posix.relative(lesson.workspace, posix.resolve(lesson.workspace, path));
  return relative && !relative.startsWith("..") && !posix.isAbsolute(relative) ? relative : undefined;
}

/** The files a lesson places in its workspace before the first step, with their text. */
export async function lessonFiles(lesson: Lesson, log: Logger): Promise<FileToWrite[]> {
  const placed: FileToWrite[] = [];
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
