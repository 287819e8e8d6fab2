import { readFileSync } from "node:fs";
import { EngineError } from "./errors";

/**
 * A lesson's files that go outside the learner's workspace (a tool in
 * /usr/local/bin, a Killercoda scenario's /ks) and the workspace folder
 * itself. In a rootless sandbox the learner is root only in their own user
 * namespace: the image's folders are not theirs to write. So the engine
 * places these as the container's root, from the control plane's lesson
 * (never from anything the learner sends), and hands what it creates to the
 * learner, who then owns it as they own their home.
 */
export interface PlacedFile {
  /** Absolute, plain (no "." or ".." parts, no //). */
  path: string;
  content: Uint8Array;
  /** Permission bits; 0644 by default. */
  mode?: number;
}

/** Never placed into: the kernel's and the devices' views, and the engine's own state. */
const REFUSED_ROOTS = ["/proc", "/sys", "/dev", "/run/user", "/var/lib/docker"];

/** Why a placement path is refused, or undefined. */
export function placementProblem(path: string): string | undefined {
  if (!path.startsWith("/") || path === "/") return `"${path}" is not an absolute path of a file`;
  if (path.includes("\0") || /[\n\r]/.test(path)) return `"${path}" contains control characters`;
  const parts = path.split("/").slice(1);
  if (parts.some((part) => part === "" || part === "." || part === "..")) return `"${path}" is not written plainly (no ., .. or //)`;
  if (REFUSED_ROOTS.some((root) => path === root || path.startsWith(`${root}/`)))
    return `"${path}" is in ${path.split("/").slice(0, 2).join("/")}, where nothing is placed`;
  return undefined;
}

export function checkPlacement(path: string): void {
  const problem = placementProblem(path);
  if (problem)
    throw new EngineError(`A lesson file cannot be placed: ${problem}.`, "Give the file a plain absolute destination.", "bad-request");
}

/**
 * The script (run as the container's root) that places files read from stdin,
 * each as PATH NUL SIZE NUL MODE NUL and SIZE bytes (SIZE "-": PATH is a
 * folder to create, with no bytes), for OWNER (a user name).
 * Every folder it creates and every file it writes is given to OWNER. It
 * refuses a path that passes through a symlink, so nothing is written
 * anywhere but where the lesson says; a file is replaced atomically.
 */
export const PLACE_FILES_SCRIPT = readFileSync(new URL("./place-files.sh", import.meta.url), "utf8");

/** What PLACE_FILES_SCRIPT reads on stdin for files, and for folders to create (`folders`). */
export function placementStdin(files: readonly PlacedFile[], folders: readonly string[] = []): Buffer {
  const parts: Buffer[] = [];
  for (const folder of folders) {
    checkPlacement(folder);
    parts.push(Buffer.from(`${folder}\0-\0\0`, "utf8"));
  }
  for (const file of files) {
    checkPlacement(file.path);
    const mode = (file.mode ?? 0o644).toString(8).padStart(4, "0");
    parts.push(Buffer.from(`${file.path}\0${file.content.length}\0${mode}\0`, "utf8"), Buffer.from(file.content));
  }
  return Buffer.concat(parts);
}
