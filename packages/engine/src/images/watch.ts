import type { ImagesSnapshot } from "@drydock/protocol";
import type { Disposable } from "../disposable";
import { EngineError } from "../errors";
import type { ExecStream } from "../exec";

export interface ImageWatchSource {
  scan(): Promise<ImagesSnapshot>;
  /** Starts the inner engine's image event stream (IMAGE_EVENTS_SCRIPT). */
  events(): Promise<ExecStream>;
}

export interface ImagesWatcher {
  onChange(snapshot: ImagesSnapshot): void;
  /** A scan or the event stream failed; the watch carries on (reconnecting) until disposed or the sandbox is gone. */
  onError?(error: unknown): void;
}

/** Events in a burst (a build names several tags; a pull brings many) are answered by one scan this long after the first. */
const SETTLE_MS = 100;
/**
 * And scanned once more this long after: BuildKit releases its cache records
 * (how a build is told from a tag) just after naming the image, a moment
 * that may fall after the first scan on a busy host.
 */
const FOLLOW_UP_MS = 1_500;
const MAX_BACKOFF_MS = 5_000;

/**
 * Follows one sandbox's images: the inner engine's image events (build, pull,
 * tag, untag, delete, push, load) trigger a fresh scan, pushed when it
 * differs from the last one. Scans never overlap. A broken event stream is
 * reopened with backoff, and rescanned after, since events may have been
 * missed. `ready` resolves with the first scan, taken once the stream is open.
 */
export class ImageWatch implements Disposable {
  readonly ready: Promise<ImagesSnapshot>;
  private settleReady?: { resolve(snapshot: ImagesSnapshot): void; reject(error: unknown): void };
  private stopped = false;
  private stream?: ExecStream;
  private timer?: NodeJS.Timeout;
  private followUp?: NodeJS.Timeout;
  private scanning = false;
  private again = false;
  private last = "";
  private restarts = 0;

  constructor(
    private readonly source: ImageWatchSource,
    private readonly watcher: ImagesWatcher,
  ) {
    this.ready = new Promise((resolve, reject) => {
      this.settleReady = { resolve, reject };
    });
    this.ready.catch(() => {});
    void this.follow();
  }

  dispose(): void {
    this.stop(new Error("The images watch was stopped."));
  }

  private stop(reason: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.followUp);
    this.stream?.dispose();
    this.settleReady?.reject(reason);
    this.settleReady = undefined;
  }

  private async follow(): Promise<void> {
    let stream: ExecStream;
    try {
      stream = await this.source.events();
    } catch (error) {
      return this.failed(error);
    }
    if (this.stopped) return stream.dispose();
    this.stream = stream;
    stream.stdout.setEncoding("utf8");
    stream.stdout.on("data", () => {
      this.schedule(SETTLE_MS);
      clearTimeout(this.followUp);
      this.followUp = setTimeout(() => void this.refresh(), FOLLOW_UP_MS);
    });
    void this.refresh();
    await stream.exited;
    if (this.stopped) return;
    this.failed(new Error("The sandbox's image event stream ended."));
  }

  private failed(error: unknown): void {
    if (this.stopped) return;
    this.watcher.onError?.(error);
    if (this.settleReady || (error instanceof EngineError && error.code === "sandbox-not-found")) {
      this.stop(error);
      return;
    }
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.restarts++);
    this.timer = setTimeout(() => void this.follow(), delay);
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, delayMs);
  }

  private async refresh(): Promise<void> {
    if (this.scanning) {
      this.again = true;
      return;
    }
    this.scanning = true;
    try {
      const snapshot = await this.source.scan();
      this.restarts = 0;
      if (this.stopped) return;
      const { takenAt: _, ...content } = snapshot;
      const key = JSON.stringify(content);
      if (this.settleReady) {
        this.settleReady.resolve(snapshot);
        this.settleReady = undefined;
      } else if (key !== this.last) {
        this.watcher.onChange(snapshot);
      }
      this.last = key;
    } catch (error) {
      if (this.settleReady) {
        this.stop(error);
        return;
      }
      this.watcher.onError?.(error);
    } finally {
      this.scanning = false;
    }
    if (this.again && !this.stopped) {
      this.again = false;
      void this.refresh();
    }
  }
}

/** Watches a sandbox's images until disposed; see ImageWatch. */
export function watchImages(source: ImageWatchSource, watcher: ImagesWatcher): ImageWatch {
  return new ImageWatch(source, watcher);
}
