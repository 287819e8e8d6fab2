import { EngineError } from "../errors";
import type { FileStat } from "./sandbox-files";

/** A write refused because the file changed since the caller read it; `current` is what is there now (undefined: deleted). */
export class FileConflictError extends EngineError {
  constructor(
    readonly path: string,
    readonly current: FileStat | undefined,
  ) {
    super(
      current ? `"${path}" was changed since it was opened (probably in the terminal).` : `"${path}" was deleted since it was opened.`,
      "Reload it to see the change, or save again to overwrite it.",
      "file-conflict",
    );
    this.name = "FileConflictError";
  }
}

/** What a files script was doing, for its error messages. */
export interface Subject {
  action: string;
  path: string;
  /** The destination of a rename. */
  target?: string;
}

/** Exit statuses of sandbox-files.sh, and of coreutils `timeout`. */
export const EXIT = {
  outside: 3,
  notFound: 4,
  exists: 5,
  wrongType: 6,
  conflict: 7,
  noWorkspace: 8,
  parentNotDir: 9,
  timedOut: 124,
  killed: 137,
} as const;

/** Turns a files script's failure into an error that says what happened and what to do. */
export function scriptError(exitCode: number, stderr: string, subject: Subject, workspace: string, timeoutMs: number): EngineError {
  const path = `"${subject.path}"`;
  const both = subject.target === undefined ? path : `${path} or "${subject.target}"`;
  switch (exitCode) {
    case EXIT.outside:
      return new EngineError(
        `${both} leads out of the workspace.`,
        "Only files inside the workspace can be opened here; a symlink that points elsewhere is refused.",
        "path-refused",
      );
    case EXIT.notFound:
      return new EngineError(
        `${path} does not exist.`,
        "It may have been moved or deleted in the terminal; refresh the file list.",
        "file-not-found",
      );
    case EXIT.exists:
      return new EngineError(
        `"${subject.target ?? subject.path}" already exists.`,
        "Pick another name, or delete it first.",
        "file-exists",
      );
    case EXIT.wrongType:
      return new EngineError(
        `${path} is not a regular file.`,
        "Folders, pipes and devices cannot be opened or saved as files.",
        "file-wrong-type",
      );
    case EXIT.noWorkspace:
      return new EngineError(
        `The workspace ${workspace} is missing or is not a plain folder.`,
        `Recreate it in the terminal: \`mkdir -p ${workspace}\` (remove it first if it is a symlink).`,
        "path-refused",
      );
    case EXIT.parentNotDir:
      return new EngineError(`A folder on the way to ${both} is a file.`, "Rename or delete that file first.", "file-wrong-type");
    case EXIT.timedOut:
    case EXIT.killed:
      return new EngineError(
        `Could not ${subject.action} ${path} within ${Math.round(timeoutMs / 1000)} s.`,
        "A pipe or a very large folder can block it; try again.",
        "sandbox-failed",
      );
    default:
      return new EngineError(
        `Could not ${subject.action} ${path}${describe(stderr)}.`,
        "Check it in the terminal; if the sandbox stopped, start a new session.",
        "sandbox-failed",
      );
  }
}

/** The script's own complaint, without the /proc/PID/fd/N prefixes it reaches folders through. */
function describe(stderr: string): string {
  const line = stderr
    .trim()
    .split("\n")
    .at(-1)
    ?.replace(/\/proc\/\d+\/fd\/\d+\/?/g, "");
  return line ? `: ${line}` : "";
}
