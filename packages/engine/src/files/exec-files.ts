import { EngineError } from "../errors";
import type { ExecOptions, ExecResult, ExecStream } from "../exec";
import { decodeText, etagOf, SNIFF_BYTES } from "./content";
import { EXIT, FileConflictError, type Subject, scriptError } from "./errors";
import { parseListing, secondsToMs } from "./listing";
import { splitPath, workspacePath } from "./paths";
import type {
  FileChange,
  FileContent,
  FileEntry,
  FileStat,
  FilesLimits,
  FileToWrite,
  FileTree,
  FileWatch,
  SandboxFiles,
} from "./sandbox-files";
import { DEFAULT_FILES_LIMITS } from "./sandbox-files";
import { filesCommand, type ScriptOp, timedFilesCommand } from "./script";
import { WorkspaceWatch } from "./watch";

/**
 * How a driver runs commands in one sandbox; all the files API needs. The
 * commands use absolute paths: run them outside the workspace, which may be
 * missing (an exec cannot start in a missing folder).
 */
export interface FilesRunner {
  exec(command: string[], options?: ExecOptions): Promise<ExecResult>;
  /** Starts a long-running command (it ends when its stdin closes). */
  stream(command: string[]): Promise<ExecStream>;
}

const ETAG = /^[0-9a-f]{64}$/;
/** writeMany allows one operation's time per this many files. */
const WRITES_PER_TIMEOUT = 100;
/** Room for a listing's paths: at most 4 KiB each, but typically far shorter. */
const LISTING_BYTES_PER_ENTRY = 512;

/**
 * The files API for any driver that can exec in a sandbox: each operation is
 * one run of sandbox-files.sh, which resolves symlinks inside the sandbox and
 * refuses anything that leads out of the workspace.
 */
export class ExecSandboxFiles implements SandboxFiles {
  private readonly limits: FilesLimits;

  constructor(
    private readonly runner: FilesRunner,
    private readonly workspace: string,
    limits: Partial<FilesLimits> = {},
  ) {
    this.limits = { ...DEFAULT_FILES_LIMITS, ...limits };
  }

  async list(dir = ""): Promise<FileTree> {
    const path = workspacePath(dir, { allowRoot: true });
    const { maxListEntries } = this.limits;
    const result = await this.run(
      "list",
      [path, String(maxListEntries)],
      { action: "list", path: path || "." },
      {
        maxOutputBytes: (maxListEntries + 1) * LISTING_BYTES_PER_ENTRY,
      },
    );
    return parseListing(result.stdout, { dir: path, maxEntries: maxListEntries, cut: result.truncated });
  }

  async read(requested: string): Promise<FileContent> {
    const path = workspacePath(requested);
    const { dir, name } = splitPath(path);
    const limit = this.limits.maxFileBytes;
    const result = await this.run(
      "read",
      [dir, name, String(limit)],
      { action: "read", path },
      {
        maxOutputBytes: Math.ceil((limit + 1) / 3) * 4 + 64,
      },
    );
    const newline = result.stdout.indexOf("\n");
    const [size = "0", mtime = "0"] = result.stdout.slice(0, newline).split(" ");
    const bytes = Buffer.from(result.stdout.slice(newline + 1), "base64");
    const mtimeMs = secondsToMs(mtime);
    if (bytes.length > limit || Number(size) > limit) {
      if (decodeText(bytes.subarray(0, SNIFF_BYTES), false) === undefined) return { path, binary: true, size: Number(size), mtimeMs };
      throw this.tooLarge(path, Math.max(Number(size), bytes.length));
    }
    const content = decodeText(bytes, true);
    if (content === undefined) return { path, binary: true, size: bytes.length, mtimeMs };
    return { path, encoding: "utf8", content, size: bytes.length, mtimeMs, etag: etagOf(bytes) };
  }

  async write(requested: string, content: string, options: { ifMatch?: string } = {}): Promise<FileStat> {
    const path = workspacePath(requested);
    const { dir, name } = splitPath(path);
    const bytes = Buffer.from(content, "utf8");
    if (bytes.length > this.limits.maxFileBytes) throw this.tooLarge(path, bytes.length);
    const { ifMatch } = options;
    if (ifMatch !== undefined && !ETAG.test(ifMatch)) {
      throw new EngineError(
        `"${ifMatch}" is not an etag.`,
        "Pass the etag that the last read or write of the file returned.",
        "file-conflict",
      );
    }
    const result = await this.run("write", [dir, name, ifMatch ?? ""], { action: "save", path }, { stdin: bytes }, (exit) => {
      if (exit.exitCode !== EXIT.conflict) return undefined;
      const [etag, size, mtime] = exit.stdout.trim().split(" ");
      return new FileConflictError(
        path,
        etag && size && mtime ? { path, etag, size: Number(size), mtimeMs: secondsToMs(mtime) } : undefined,
      );
    });
    const [size = "0", mtime = "0"] = result.stdout.trim().split(" ");
    return { path, size: Number(size), mtimeMs: secondsToMs(mtime), etag: etagOf(bytes) };
  }

  async writeMany(files: readonly FileToWrite[]): Promise<void> {
    const parts: Buffer[] = [];
    const paths: string[] = [];
    for (const file of files) {
      const path = workspacePath(file.path);
      const { dir, name } = splitPath(path);
      const bytes = Buffer.from(file.content, file.encoding === "base64" ? "base64" : "utf8");
      if (bytes.length > this.limits.maxFileBytes) throw this.tooLarge(path, bytes.length);
      const mode = file.mode === undefined ? "" : file.mode.toString(8).padStart(4, "0");
      paths.push(path);
      parts.push(Buffer.from(`${dir}\0${name}\0${bytes.length}\0${mode}\0`, "utf8"), bytes);
    }
    if (paths.length === 0) return;
    // Room for a slow machine: a few milliseconds per file in the sandbox, far more than that allowed.
    const timeoutMs = this.limits.timeoutMs * Math.ceil(paths.length / WRITES_PER_TIMEOUT);
    const result = await this.runner.exec(timedFilesCommand(timeoutMs, this.workspace, "write-many", []), { stdin: Buffer.concat(parts) });
    if (result.exitCode === 0) return;
    // One line per file written: the first without one is the one that failed.
    const failed = paths[result.stdout.split("\n").length - 1] ?? paths.at(-1) ?? "";
    throw scriptError(result.exitCode, result.stderr, { action: "save", path: failed }, this.workspace, timeoutMs);
  }

  async create(requested: string, kind: "file" | "dir"): Promise<FileEntry> {
    const path = workspacePath(requested);
    const { dir, name } = splitPath(path);
    const result = await this.run("create", [dir, name, kind], { action: "create", path });
    const [size = "0", mtime = "0"] = result.stdout.trim().split(" ");
    return { path, type: kind, size: Number(size), mtimeMs: secondsToMs(mtime) };
  }

  async rename(fromRequested: string, toRequested: string): Promise<void> {
    const from = workspacePath(fromRequested);
    const to = workspacePath(toRequested);
    if (from === to) throw new EngineError(`"${to}" already has that name.`, "Pick another name.", "file-exists");
    if (to.startsWith(`${from}/`)) {
      throw new EngineError(`"${from}" cannot be moved into itself.`, "Pick a destination outside it.", "path-refused");
    }
    const source = splitPath(from);
    const target = splitPath(to);
    await this.run("rename", [source.dir, source.name, target.dir, target.name], { action: "rename", path: from, target: to });
  }

  async remove(requested: string): Promise<void> {
    const path = workspacePath(requested);
    const { dir, name } = splitPath(path);
    await this.run("remove", [dir, name], { action: "delete", path });
  }

  watch(onChange: (changes: FileChange[]) => void, onProblem: (error: Error) => void = () => {}): FileWatch {
    return new WorkspaceWatch(
      {
        workspace: this.workspace,
        start: () => this.runner.stream(filesCommand(this.workspace, "watch")),
        list: () => this.list(),
        pollIntervalMs: this.limits.pollIntervalMs,
      },
      onChange,
      onProblem,
    );
  }

  /**
   * Runs one operation; a non-zero exit becomes the error that explains it
   * (`special` may claim an exit status first).
   */
  private async run(
    op: ScriptOp,
    args: string[],
    subject: Subject,
    options: ExecOptions = {},
    special: (result: ExecResult) => Error | undefined = () => undefined,
  ): Promise<ExecResult> {
    const { timeoutMs } = this.limits;
    const result = await this.runner.exec(timedFilesCommand(timeoutMs, this.workspace, op, args), options);
    if (result.exitCode === 0) return result;
    throw special(result) ?? scriptError(result.exitCode, result.stderr, subject, this.workspace, timeoutMs);
  }

  private tooLarge(path: string, size: number): EngineError {
    const bytes = (count: number) => `${count.toLocaleString("en")} bytes`;
    return new EngineError(
      `"${path}" is ${bytes(size)}; files are limited to ${bytes(this.limits.maxFileBytes)} here.`,
      "Open it in the terminal instead (less, nano, vim).",
      "file-too-large",
    );
  }
}
