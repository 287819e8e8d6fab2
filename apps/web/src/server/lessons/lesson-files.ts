import { readFile } from "node:fs/promises";
import { join, posix } from "node:path";
import type { Lesson } from "@drydock/lessons";
import { type CheckRequest, type FileToWrite, MAX_CHECK_SCRIPT } from "@drydock/protocol";

/** A lesson path as the files channel names it (relative to the workspace), or undefined when it lies outside. */
export function workspacePath(lesson: Lesson, path: string): string | undefined {
  const relative = posix.relative(lesson.workspace, posix.resolve(lesson.workspace, path));
  return relative && !relative.startsWith("..") && !posix.isAbsolute(relative) ? relative : undefined;
}

/** What a lesson places before its first step, byte for byte and with its modes. */
export interface PlacedLessonFiles {
  /** Files inside the workspace, for files:write-many: text as text, anything else in base64. */
  inWorkspace: FileToWrite[];
  /** Files elsewhere (`/usr/local/bin/wait-for`, Killercoda's `/ks`): scripts that write them, run as checks are. */
  elsewhere: CheckRequest[];
}

/** Bytes of a file per placement script: its base64 with the script around it stays under the check size limit. */
const PLACEMENT_CHUNK_BYTES = Math.floor(((MAX_CHECK_SCRIPT - 4096) * 3) / 4);
const PLACEMENT_TIMEOUT_MS = 30_000;

/** The files a lesson places before the first step, read from its folder. */
export async function lessonFiles(lesson: Lesson): Promise<PlacedLessonFiles> {
  const placed: PlacedLessonFiles = { inWorkspace: [], elsewhere: [] };
  for (const file of lesson.files) {
    const bytes = await readFile(join(lesson.directory, file.source));
    const path = workspacePath(lesson, file.path);
    if (path) placed.inWorkspace.push({ path, ...encoded(bytes), ...(file.mode !== undefined ? { mode: file.mode } : {}) });
    else placed.elsewhere.push(...placementScripts(posix.resolve(lesson.workspace, file.path), bytes, file.mode));
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
  return { content: Buffer.from(bytes).toString("base64"), encoding: "base64" };
}

/**
 * Scripts that write a file outside the workspace (where the files API,
 * confined to the workspace, does not reach): its folders made, its bytes
 * decoded from base64, in as many scripts as the check size limit needs,
 * then its mode (0644 unless the lesson says).
 */
export function placementScripts(path: string, bytes: Uint8Array, mode: number | undefined): CheckRequest[] {
  const target = shellQuote(path);
  const scripts: CheckRequest[] = [];
  for (let offset = 0; offset === 0 || offset < bytes.length; offset += PLACEMENT_CHUNK_BYTES) {
    const chunk = Buffer.from(bytes.subarray(offset, offset + PLACEMENT_CHUNK_BYTES)).toString("base64");
    const lines = [
      "set -e",
      ...(offset === 0 ? [`mkdir -p -- "$(dirname -- ${target})"`] : []),
      `base64 -d ${offset === 0 ? ">" : ">>"} ${target} <<'DRYDOCK_FILE'`,
      ...(chunk.match(/.{1,76}/g) ?? []),
      "DRYDOCK_FILE",
    ];
    if (offset + PLACEMENT_CHUNK_BYTES >= bytes.length) lines.push(`chmod ${(mode ?? 0o644).toString(8).padStart(4, "0")} -- ${target}`);
    scripts.push({ script: lines.join("\n"), timeoutMs: PLACEMENT_TIMEOUT_MS });
  }
  return scripts;
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
