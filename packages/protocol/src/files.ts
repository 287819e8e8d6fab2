import type { Ack } from "./result";

/**
 * The learner's workspace (~/lab) on the sandbox channel: the editor's file
 * tree, contents and saves, and pushes when anything changes (the terminal
 * included). Paths are relative to the workspace; "" is the workspace itself.
 * Loaded by the browser too: types and constants only (the schemas are in
 * files-schemas.ts).
 */

/** Largest file read or saved, in UTF-8 bytes; the engine's default limit is the same. */
export const MAX_FILE_BYTES = 1024 * 1024;
export const MAX_FILE_PATH = 4096;
/**
 * socket.io's cap on one message of the sandbox channel: a file's content
 * escaped as JSON takes up to 6 characters per byte (\u0001), plus room for
 * the rest of the message.
 */
export const MAX_FILES_MESSAGE_BYTES = 6 * MAX_FILE_BYTES + 64 * 1024;

export interface FileEntry {
  path: string;
  type: "file" | "dir" | "symlink";
  size: number;
  mtimeMs: number;
}

export interface FileTree {
  /** Sorted by path. */
  entries: FileEntry[];
  /** The listing hit its cap: the deepest entries are missing. */
  truncated: boolean;
}

/** `etag` is the SHA-256 of the content: pass it back as `ifMatch` when saving. */
export interface FileStat {
  path: string;
  size: number;
  mtimeMs: number;
  etag: string;
}

/** A binary file's content is never sent: the editor shows that it is binary, and its size. */
export type FileContent =
  | (FileStat & { encoding: "utf8"; content: string })
  | { path: string; binary: true; size: number; mtimeMs: number };

/**
 * Coalesced per path within a batch. "created" may replace an entry that
 * existed (a save is a rename over the old file). When a folder is created,
 * or "changed" (path "" after the watch restarted, or a batch too large to
 * list), its contents may hold changes not reported one by one: list it again.
 * A deleted "" means the workspace folder itself went away.
 */
export interface FileChange {
  path: string;
  kind: "created" | "changed" | "deleted";
  /** "file" is anything but a folder (symlinks too). */
  type: "file" | "dir";
}

export interface FilesChanged {
  changes: FileChange[];
}

/** A save refused because the file changed since it was read: `current` is what is there now (null: deleted). */
export type FileWriteResult = { status: "written"; file: FileStat } | { status: "conflict"; message: string; current: FileStat | null };

export interface FilesListRequest {
  /** A folder to list instead of the whole workspace. */
  dir?: string;
}
export interface FilesReadRequest {
  path: string;
}
export interface FilesWriteRequest {
  path: string;
  content: string;
  /** Save only if the file still has this etag (from files:read or files:write). */
  ifMatch?: string;
}
/** Limits of one files:write-many: the files' bytes in all, and their number. */
export const MAX_BATCH_BYTES = MAX_FILE_BYTES;
export const MAX_BATCH_FILES = 500;

/** A file to put in the workspace: text, or any bytes in base64 (a lesson's pictures, archives). */
export interface FileToWrite {
  path: string;
  content: string;
  /** How `content` holds the bytes: "utf8" (the default) or "base64". */
  encoding?: "utf8" | "base64";
  /** Permission bits to give the file, e.g. 0o755; without it a new file gets 0644 and an existing one keeps its mode. */
  mode?: number;
}

/** How many bytes a file to write holds once decoded. */
export function contentBytes(file: Pick<FileToWrite, "content" | "encoding">): number {
  if (file.encoding !== "base64") return utf8Length(file.content);
  const padding = file.content.endsWith("==") ? 2 : file.content.endsWith("=") ? 1 : 0;
  return Math.floor((file.content.length * 3) / 4) - padding;
}

export interface FilesWriteManyRequest {
  /** Written in this order; a later file of the same path wins. */
  files: FileToWrite[];
}
export interface FilesPlaceRequest {
  /** Absolute paths; `content` in base64. */
  files: { path: string; content: string; mode?: number }[];
}
export interface FilesCreateRequest {
  path: string;
  kind: "file" | "dir";
}
export interface FilesRenameRequest {
  from: string;
  to: string;
}
export interface FilesDeleteRequest {
  path: string;
}
/** Watch requests carry no parameters yet; an object leaves room for some. */
export type FilesWatchRequest = Record<string, never>;

/** How changes are detected: inotify in the sandbox, or polling when it is unavailable. */
export interface FilesWatching {
  mode: "inotify" | "poll";
}

export interface FilesClientEvents {
  "files:list": (request: FilesListRequest, ack: Ack<FileTree>) => void;
  "files:read": (request: FilesReadRequest, ack: Ack<FileContent>) => void;
  /** Writers only. Atomic; creates missing folders. */
  "files:write": (request: FilesWriteRequest, ack: Ack<FileWriteResult>) => void;
  /**
   * Writers only. Several files in one go (a workspace being prepared), each
   * as files:write without ifMatch; stops at the first refused, which the
   * error names (those before it are written).
   */
  "files:write-many": (request: FilesWriteManyRequest, ack: Ack<null>) => void;
  /**
   * The control plane's only (never relayed from a browser). A lesson's files
   * that go outside the workspace, by absolute path, placed by the engine and
   * given to the learner; in order, stopping at the first refused.
   */
  "files:place": (request: FilesPlaceRequest, ack: Ack<null>) => void;
  /** Writers only. Refused when the path exists. */
  "files:create": (request: FilesCreateRequest, ack: Ack<FileEntry>) => void;
  /** Writers only. Refused when `to` exists. */
  "files:rename": (request: FilesRenameRequest, ack: Ack<null>) => void;
  /** Writers only. Folders are deleted with everything in them. */
  "files:delete": (request: FilesDeleteRequest, ack: Ack<null>) => void;
  /** Answers once watching; then `files:changed` until `files:unwatch` or disconnect. List after this to miss nothing. */
  "files:watch": (request: FilesWatchRequest, ack: Ack<FilesWatching>) => void;
  "files:unwatch": (request: FilesWatchRequest, ack: Ack<null>) => void;
}

export interface FilesServerEvents {
  "files:changed": (batch: FilesChanged) => void;
}

/** The length of `text` in UTF-8, without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
