import { type Disposable, toDisposable } from "../disposable";
import { diffPorts } from "./diff";
import type { ListeningPort, PortsChange } from "./types";

export interface PortsWatcher {
  onChange(change: PortsChange): void;
  /** A scan failed (e.g. the sandbox stopped); polling goes on until the watcher is disposed. */
  onError?(error: unknown): void;
}

interface Poll {
  watchers: Set<PortsWatcher>;
  /** Undefined until the first scan answered. */
  ports?: ListeningPort[];
  timer?: NodeJS.Timeout;
  stopped: boolean;
}

/**
 * One poller per watched sandbox, shared by all its watchers, running only
 * while someone watches. Scans never overlap: the next one is scheduled when
 * the previous one has answered.
 */
export class PortPolling {
  private readonly polls = new Map<string, Poll>();

  constructor(
    private readonly scan: (sandboxId: string) => Promise<ListeningPort[]>,
    private readonly intervalMs = 1000,
  ) {}

  /**
   * The watcher's first onChange has every current port as appeared; later
   * ones carry differences only. Disposing it stops this watcher.
   */
  watch(sandboxId: string, watcher: PortsWatcher): Disposable {
    let poll = this.polls.get(sandboxId);
    if (!poll) {
      poll = { watchers: new Set(), stopped: false };
      this.polls.set(sandboxId, poll);
      void this.tick(sandboxId, poll);
    } else if (poll.ports) {
      const current = poll.ports;
      // Asynchronously, like every later call, so the caller is subscribed before it hears anything.
      queueMicrotask(() => {
        if (poll?.watchers.has(watcher)) watcher.onChange({ ports: current, appeared: current, disappeared: [] });
      });
    }
    poll.watchers.add(watcher);
    const active = poll;
    return toDisposable(() => {
      active.watchers.delete(watcher);
      if (active.watchers.size > 0) return;
      active.stopped = true;
      clearTimeout(active.timer);
      if (this.polls.get(sandboxId) === active) this.polls.delete(sandboxId);
    });
  }

  /** How many sandboxes are being polled (for tests and metrics). */
  get polling(): number {
    return this.polls.size;
  }

  private async tick(sandboxId: string, poll: Poll): Promise<void> {
    try {
      const ports = await this.scan(sandboxId);
      if (poll.stopped) return;
      const first = poll.ports === undefined;
      const change = diffPorts(poll.ports ?? [], ports);
      poll.ports = ports;
      for (const watcher of poll.watchers) {
        if (first) watcher.onChange({ ports, appeared: ports, disappeared: [] });
        else if (change) watcher.onChange(change);
      }
    } catch (error) {
      if (poll.stopped) return;
      for (const watcher of poll.watchers) watcher.onError?.(error);
    }
    if (!poll.stopped) poll.timer = setTimeout(() => void this.tick(sandboxId, poll), this.intervalMs);
  }
}
