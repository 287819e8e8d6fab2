import { readFile } from "node:fs/promises";
import { join, posix } from "node:path";
import type { Lesson } from "@drydock/lessons";
import type { FileToWrite } from "@drydock/protocol";

/** A lesson path as the files channel names it (relative to the workspace), or undefined when it lies outside. */
export function workspacePath(lesson: Lesson, path: string): string | undefined {
  const relative = posix.relative(lesson.workspace, posix.resolve(lesson.workspace, path));
  return relative && !relative.startsWith("..") && !posix.isAbsolute(relative) ? relative : undefined;
}

/** What a lesson places before its first step, byte for byte and with its modes. */
export interface PlacedLessonFiles {
  /** Files inside the workspace, for files:write-many: text as text, anything else in base64. */
  inWorkspace: FileToWrite[];
  /** Files elsewhere (`/usr/local/bin/wait-for`, Killercoda's `/ks`), by absolute path and in base64, for files:place. */
  elsewhere: FileToWrite[];
}

/** The files a lesson places before the first step, read from its folder. */
export async function lessonFiles(lesson: Lesson): Promise<PlacedLessonFiles> {
  const placed: PlacedLessonFiles = { inWorkspace: [], elsewhere: [] };
  for (const file of lesson.files) {
    const bytes = await readFile(join(lesson.directory, file.source));
    const mode = file.mode !== undefined ? { mode: file.mode } : {};
    const path = workspacePath(lesson, file.path);
    if (path) placed.inWorkspace.push({ path, ...encoded(bytes), ...mode });
    else placed.elsewhere.push({ path: posix.resolve(lesson.workspace, file.path), content: base64(bytes), encoding: "base64", ...mode });
  }
  return placed;
}

/** Text travels as text (readable in logs and the saved copy); anything that is not UTF-8, or holds a NUL, in base64. */
export function encoded(bytes: Uint8Array): Pick<FileToWrite, "content" | "encoding"> {
  if (!bytes.includes(0)) {
    try {
      return { content: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes) };
    } catch {
      // Not UTF-8: fall through to base64.
    }
  }
  return { content: base64(bytes), encoding: "base64" };
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}
