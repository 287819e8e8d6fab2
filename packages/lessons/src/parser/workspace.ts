import { posix } from "node:path";

/**
 * Where a lesson's workspace may be: the learner's home and the folders
 * people keep projects in. Never the system's own folders (/, /etc, /usr,
 * /proc, /var/lib/docker...): the editor lists, watches and writes the
 * workspace, and a workspace there would hand it the machine's files.
 */
export const WORKSPACE_ROOTS = ["/root", "/home", "/srv", "/opt", "/workspace"] as const;

/** Why a workspace path cannot be used, or undefined when it can. */
export function workspaceProblem(path: string): string | undefined {
  if (!path.startsWith("/")) return "must be an absolute path";
  if (path.includes("\0") || /[\n\r]/.test(path)) return "must not contain control characters";
  const segments = path.split("/").slice(1);
  if (segments.includes("..") || segments.includes(".")) return 'must not contain "." or ".." parts';
  if (posix.normalize(path) !== path || (path.length > 1 && path.endsWith("/"))) return "must be written plainly (no // and no trailing /)";
  if (path === "/home") return "must be a folder below /home, e.g. /home/learner";
  if (!WORKSPACE_ROOTS.some((root) => path === root || path.startsWith(`${root}/`))) {
    return `must be ${WORKSPACE_ROOTS.join(", ")} or a folder below one of them`;
  }
  return undefined;
}
