import type { FileChange } from "./sandbox-files";

/** "Something changed here, list it again": for the workspace after a gap, or a batch too large to send. */
export const WORKSPACE_CHANGED: FileChange = { path: "", kind: "changed", type: "dir" };

/**
 * The net effect of `next` following `previous` on one path within a batch;
 * undefined when nothing is left to report (created, then deleted).
 */
export function mergeChange(previous: FileChange | undefined, next: FileChange): FileChange | undefined {
  if (!previous) return next;
  switch (previous.kind) {
    case "created":
      return next.kind === "deleted" ? undefined : { ...next, kind: "created" };
    case "changed":
      return next.kind === "deleted" ? next : { ...next, kind: "changed" };
    case "deleted":
      return next.kind === "deleted" ? next : { ...next, kind: "changed" };
  }
}

export interface BatchOptions {
  /** Flush once no change came for this long... */
  quietMs: number;
  /** ...or this long after the batch's first change, whichever is first. */
  maxDelayMs: number;
  /** More paths than this become one WORKSPACE_CHANGED. */
  maxBatch: number;
}

export const DEFAULT_BATCH: BatchOptions = { quietMs: 50, maxDelayMs: 250, maxBatch: 1000 };

/** Collects changes and emits them coalesced per path, so a burst (a save, an unpack) is one message. */
export class ChangeBatcher {
  private readonly pending = new Map<string, FileChange>();
  private timer: NodeJS.Timeout | undefined;
  private deadline = 0;

  constructor(
    private readonly emit: (changes: FileChange[]) => void,
    private readonly options: BatchOptions = DEFAULT_BATCH,
  ) {}

  add(changes: FileChange[]): void {
    if (changes.length === 0) return;
    for (const change of changes) {
      const merged = mergeChange(this.pending.get(change.path), change);
      if (merged) this.pending.set(change.path, merged);
      else this.pending.delete(change.path);
    }
    const now = Date.now();
    if (this.timer === undefined) this.deadline = now + this.options.maxDelayMs;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), Math.max(0, Math.min(this.options.quietMs, this.deadline - now)));
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const batch = this.pending.size > this.options.maxBatch ? [WORKSPACE_CHANGED] : [...this.pending.values()];
    this.pending.clear();
    this.emit(batch);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
