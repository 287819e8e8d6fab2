import { EngineError } from "../errors";

const MAX_PATH_BYTES = 4096;
const MAX_NAME_BYTES = 255;
const HINT = "Paths are relative to the workspace (~/lab), like `app/Dockerfile`.";

function refuse(message: string): never {
  throw new EngineError(message, HINT, "path-refused");
}

/**
 * Checks and normalises a path given to the files API: relative to the
 * workspace, POSIX, without "." or empty parts. ".." is refused outright
 * rather than folded away: "a/../b" is not "b" when "a" is a symlink. Where a
 * path really leads (symlinks) is decided inside the sandbox, not here.
 * The workspace itself is "" and only accepted with `allowRoot`.
 */
export function workspacePath(input: unknown, options: { allowRoot?: boolean } = {}): string {
  if (typeof input !== "string") refuse("A path must be a string.");
  if (input.includes("\0")) refuse("A path cannot contain NUL bytes.");
  if (input.startsWith("/")) refuse(`"${input}" is an absolute path; only paths inside the workspace are allowed.`);
  const parts = input.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.includes("..")) refuse(`"${input}" leads out of the workspace ("..").`);
  const path = parts.join("/");
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) refuse(`The path is longer than ${MAX_PATH_BYTES} bytes.`);
  if (parts.some((part) => Buffer.byteLength(part) > MAX_NAME_BYTES))
    refuse(`A name in "${input}" is longer than ${MAX_NAME_BYTES} bytes.`);
  if (path === "" && !options.allowRoot) refuse("Name a file or folder inside the workspace, not the workspace itself.");
  return path;
}

/** The folder holding `path` ("" for the workspace) and its own name. */
export function splitPath(path: string): { dir: string; name: string } {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? { dir: "", name: path } : { dir: path.slice(0, slash), name: path.slice(slash + 1) };
}
