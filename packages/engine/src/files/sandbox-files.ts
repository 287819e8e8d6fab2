import type { FileChange, FileContent, FileEntry, FileStat, FilesWatching, FileToWrite, FileTree } from "@drydock/protocol";

// What the editor sees of files is the wire's shape, declared once in @drydock/protocol.
export type { FileChange, FileContent, FileEntry, FileStat, FileToWrite, FileTree } from "@drydock/protocol";

import type { Disposable } from "../disposable";
/**
 * The learner's workspace as the editor sees it. Every path is relative to the
 * workspace (POSIX, normalised); nothing outside it can be read or written,
 * also not through symlinks, which are resolved inside the sandbox.
 */
export interface SandboxFiles {
  /** The tree under `dir` (default: the whole workspace), breadth first up to a cap, sorted by path. */
  list(dir?: string): Promise<FileTree>;
  /** A text file's content, or only its size when it is binary. Refuses files over the size limit. */
  read(path: string): Promise<FileContent>;
  /**
   * Replaces a file atomically (temporary file + rename), creating missing
   * folders. With `ifMatch`, refuses with a FileConflictError when the file's
   * etag differs: a change made meanwhile in the terminal is never overwritten.
   */
  write(path: string, content: string, options?: { ifMatch?: string }): Promise<FileStat>;
  /**
   * Writes several files in one go (one run in the sandbox, not one each),
   * in order, each as `write` would; a later file of the same path wins.
   * Stops at the first that fails, with an error that names it.
   */
  writeMany(files: readonly FileToWrite[]): Promise<void>;
  /** Creates an empty file or a folder; refuses when the path exists. */
  create(path: string, kind: "file" | "dir"): Promise<FileEntry>;
  /** Renames or moves; refuses when `to` exists. A symlink is renamed itself, not its target. */
  rename(from: string, to: string): Promise<void>;
  /** Deletes a file, a symlink (not its target) or a folder with everything in it. */
  remove(path: string): Promise<void>;
  /** Reports changes made by anyone (terminal included) in batches, within a second. */
  watch(onChange: (changes: FileChange[]) => void, onProblem?: (error: Error) => void): FileWatch;
}

/** Disposing it stops watching (also the process inside the sandbox). */
export interface FileWatch extends Disposable {
  /** How changes are detected, once the watch is established; rejects if the sandbox is gone. */
  readonly ready: Promise<FilesWatching["mode"]>;
}

export interface FilesLimits {
  /** Largest file read or written, in bytes. */
  maxFileBytes: number;
  /** Most entries a listing returns. */
  maxListEntries: number;
  /** Longest a single operation may take inside the sandbox (a FIFO could block a read forever). */
  timeoutMs: number;
  /** Polling interval when inotifywait is missing or failing. */
  pollIntervalMs: number;
}

export const DEFAULT_FILES_LIMITS: FilesLimits = {
  maxFileBytes: 1024 * 1024,
  maxListEntries: 5000,
  timeoutMs: 15_000,
  pollIntervalMs: 500,
};
