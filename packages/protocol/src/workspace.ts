/** Where shells start and lesson files go when a lesson declares no workspace. */
export const DEFAULT_WORKSPACE = "/root/lab";

/**
 * Where a lesson's workspace may be: the learner's home and the folders
 * people keep projects in. Never the system's own folders (/, /etc, /usr,
 * /proc, /var/lib/docker...): the editor lists, watches and writes the
 * workspace, and a workspace there would hand it the machine's files.
 * The rule is checked where a lesson is read (lessons check), where an
 * agent is asked for a sandbox (its API), and by the engine itself.
 */
export const WORKSPACE_ROOTS = ["/root", "/home", "/srv", "/opt", "/workspace"] as const;

/** Why a workspace path cannot be used, or undefined when it can. */
export function workspaceProblem(path: string): string | undefined {
  if (!path.startsWith("/")) return "must be an absolute path";
  if (!/^[A-Za-z0-9._/-]+$/.test(path)) return "must use only letters, digits, '.', '_', '-' and '/'";
  const segments = path.split("/").slice(1);
  if (segments.includes("..") || segments.includes(".")) return 'must not contain "." or ".." parts';
  if (path.length > 1 && segments.includes("")) return "must be written plainly (no // and no trailing /)";
  if (path === "/home") return "must be a folder below /home, e.g. /home/learner";
  if (!WORKSPACE_ROOTS.some((root) => path === root || path.startsWith(`${root}/`))) {
    return `must be ${WORKSPACE_ROOTS.join(", ")} or a folder below one of them`;
  }
  return undefined;
}
