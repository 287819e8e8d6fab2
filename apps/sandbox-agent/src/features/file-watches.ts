import { type Disposable, type FileChange, type FileWatch, type SandboxDriver, toDisposable } from "@drydock/engine";
import type { Logger } from "@drydock/server-kit";

type Listener = (changes: FileChange[]) => void;

/** One listener's share of a sandbox's watch; disposing it unsubscribes. */
export interface FileWatchSubscription extends Disposable {
  /** Settles once the sandbox's watch is established (or cannot be). */
  ready: Promise<"inotify" | "poll">;
}

/**
 * One watch per sandbox (one inotifywait in it), shared by every socket that
 * subscribed: started by the first subscriber, stopped when the last leaves.
 */
export class SharedFileWatches {
  private readonly watches = new Map<string, { watch: FileWatch; listeners: Set<Listener> }>();

  constructor(
    private readonly driver: SandboxDriver,
    private readonly log: Logger,
  ) {}

  subscribe(sandboxId: string, listener: Listener): FileWatchSubscription {
    let shared = this.watches.get(sandboxId);
    if (!shared) {
      const listeners = new Set<Listener>();
      const watch = this.driver.files(sandboxId).watch(
        (changes) => {
          for (const notify of listeners) notify(changes);
        },
        (error) => this.log.warn("files.watch_problem", { sandboxId, error }),
      );
      const created = { watch, listeners };
      shared = created;
      this.watches.set(sandboxId, created);
      // A watch that could not start (the sandbox is gone) is forgotten: the next subscriber tries afresh.
      watch.ready.catch(() => this.forget(sandboxId, created));
    }
    const entry = shared;
    entry.listeners.add(listener);
    return {
      ready: entry.watch.ready,
      ...toDisposable(() => {
        entry.listeners.delete(listener);
        if (entry.listeners.size === 0) this.forget(sandboxId, entry);
      }),
    };
  }

  private forget(sandboxId: string, entry: { watch: FileWatch }): void {
    entry.watch.dispose();
    if (this.watches.get(sandboxId) === entry) this.watches.delete(sandboxId);
  }
}
