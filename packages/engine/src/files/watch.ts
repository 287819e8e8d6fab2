import type { Readable } from "node:stream";
import { EngineError } from "../errors";
import type { ExecStream } from "../exec";
import { ChangeBatcher, WORKSPACE_CHANGED } from "./coalesce";
import { InotifyParser } from "./inotify-events";
import { diffListings } from "./listing-diff";
import type { FileChange, FileEntry, FileTree, FileWatch } from "./sandbox-files";

export interface WatchSource {
  workspace: string;
  /** Starts `sandbox-files.sh watch` (inotifywait) in the sandbox. */
  start(): Promise<ExecStream>;
  /** The whole workspace, for polling. */
  list(): Promise<FileTree>;
  pollIntervalMs: number;
}

type Mode = "inotify" | "poll";

/** The watch script's exit status when inotifywait is not installed. */
const NOT_INSTALLED = 127;
/** Runs in a row that end before their watches are established, before polling takes over. */
const MAX_FAILED_STARTS = 3;
const MAX_BACKOFF_MS = 5000;
/** What inotifywait (and the script, while the workspace is missing) say on stderr. */
const ESTABLISHED = "Watches established.";
const WAITING = "drydock-files: waiting";
const REPLACED = "drydock-files: the workspace was replaced";
const SETTING_UP = "Setting up watches.";

/**
 * Watches a workspace with inotifywait running in the sandbox: restarts it
 * when it dies (with backoff) or when the workspace folder is deleted or
 * replaced, and falls back to polling listings when inotifywait is
 * missing or keeps failing (e.g. the host's inotify limits are reached).
 * After any gap it reports WORKSPACE_CHANGED, since changes may have been missed.
 */
export class WorkspaceWatch implements FileWatch {
  readonly ready: Promise<Mode>;
  private settleReady: { resolve(mode: Mode): void; reject(error: Error): void } | undefined;
  private readonly batcher: ChangeBatcher;
  private stopped = false;
  private run: ExecStream | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failedStarts = 0;
  private restarts = 0;
  private gap = false;

  constructor(
    private readonly source: WatchSource,
    onChange: (changes: FileChange[]) => void,
    private readonly onProblem: (error: Error) => void,
  ) {
    this.batcher = new ChangeBatcher(onChange);
    this.ready = new Promise<Mode>((resolve, reject) => {
      this.settleReady = { resolve, reject };
    });
    // A caller that never awaits `ready` must not cause an unhandled rejection.
    this.ready.catch(() => {});
    void this.watchWithInotify();
  }

  dispose(): void {
    this.stop(new Error("The watch was stopped."));
  }

  private stop(reason: Error): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.run?.dispose();
    this.batcher.dispose();
    this.settleReady?.reject(reason);
    this.settleReady = undefined;
  }

  private resolveReady(mode: Mode): void {
    this.settleReady?.resolve(mode);
    this.settleReady = undefined;
  }

  private watching(mode: Mode): void {
    this.resolveReady(mode);
    this.failedStarts = 0;
    this.restarts = 0;
    if (this.gap) this.batcher.add([WORKSPACE_CHANGED]);
    this.gap = false;
  }

  private async watchWithInotify(): Promise<void> {
    let run: ExecStream;
    try {
      run = await this.source.start();
    } catch (error) {
      this.startFailed(asError(error));
      return;
    }
    if (this.stopped) return run.dispose();
    this.run = run;
    let established = false;
    let complaint = "";
    const parser = new InotifyParser(this.source.workspace);
    run.stdout.setEncoding("utf8");
    run.stdout.on("data", (text: string) => this.batcher.add(parser.push(text)));
    onLines(run.stderr, (line) => {
      if (line.startsWith(REPLACED)) {
        // The script stops; the next run watches the new folder, if there is one.
        this.batcher.add([{ path: "", kind: "deleted", type: "dir" }]);
      } else if (line === ESTABLISHED) {
        established = true;
        this.watching("inotify");
      } else if (line.startsWith(WAITING)) {
        // Nothing to watch until the workspace exists again; not a failure.
        this.gap = true;
        this.resolveReady("inotify");
      } else if (line.trim() && !line.startsWith(SETTING_UP)) {
        complaint = line.trim();
      }
    });
    const status = await run.exited;
    if (this.run === run) this.run = undefined;
    if (this.stopped) return;
    if (established) this.gap = true;
    if (status === NOT_INSTALLED) return this.pollInstead("inotifywait is not installed in the sandbox");
    if (!established && ++this.failedStarts >= MAX_FAILED_STARTS) {
      return this.pollInstead(complaint || `inotifywait exited with status ${status}`);
    }
    this.retry(() => this.watchWithInotify());
  }

  private startFailed(error: Error): void {
    if (this.stopped) return;
    this.onProblem(error);
    if (isSandboxGone(error)) {
      this.stop(error);
      return;
    }
    this.gap = true;
    this.retry(() => this.watchWithInotify());
  }

  private retry(next: () => Promise<void>): void {
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.restarts++);
    this.timer = setTimeout(() => void next(), delay);
  }

  private pollInstead(reason: string): void {
    const { pollIntervalMs, workspace } = this.source;
    this.onProblem(new Error(`Cannot watch ${workspace} with inotify (${reason}); polling every ${pollIntervalMs} ms instead.`));
    let previous: FileEntry[] | undefined;
    let failing = false;
    const tick = async () => {
      try {
        const { entries } = await this.source.list();
        if (this.stopped) return;
        if (previous) this.batcher.add(diffListings(previous, entries));
        else this.watching("poll");
        previous = entries;
        failing = false;
      } catch (error) {
        if (this.stopped) return;
        // One report per run of failures, not one per poll.
        if (!failing) this.onProblem(asError(error));
        failing = true;
        if (isSandboxGone(error)) return this.stop(asError(error));
      }
      if (!this.stopped) this.timer = setTimeout(() => void tick(), pollIntervalMs);
    };
    void tick();
  }
}

function isSandboxGone(error: unknown): boolean {
  return error instanceof EngineError && error.code === "sandbox-not-found";
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function onLines(stream: Readable, onLine: (line: string) => void): void {
  let partial = "";
  stream.setEncoding("utf8");
  stream.on("data", (text: string) => {
    const lines = (partial + text).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) onLine(line);
  });
}
