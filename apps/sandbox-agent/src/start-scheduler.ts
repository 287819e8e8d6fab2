/**
 * Paces sandbox boots to what the machine can take: at most `concurrency`
 * boots run at once; the others wait in line, a learner's start ahead of
 * every pool refill, each kind first come, first served. A busy machine
 * then makes starts slower, never failed. A boot's own deadlines count from
 * when it was let through.
 */
import { estimateReadyMs, type QueuePlace, typicalDuration } from "./start-queue";

export type StartPriority = "learner" | "pool";

interface Waiting {
  priority: StartPriority;
  run(): void;
  /** Told its place in line (and an estimate) whenever the line moves. */
  onQueued?: (place: QueuePlace) => void;
}

/** How many recent boots the estimate of a wait is made from. */
const MEASURED_BOOTS = 10;

export class StartScheduler {
  /** When each boot running now was let through. */
  private readonly runningSince = new Set<{ at: number }>();
  private readonly line: Waiting[] = [];
  /** Durations of the latest successful boots, newest last. */
  private readonly bootDurations: number[] = [];

  constructor(
    readonly concurrency: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new Error(`start concurrency must be a whole number ≥ 1, not ${concurrency}`);
  }

  /** Runs `boot` once a place is free; `onQueued` hears its place in line while it waits. */
  run<T>(priority: StartPriority, boot: () => Promise<T>, onQueued?: (place: QueuePlace) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiting: Waiting = {
        priority,
        onQueued,
        run: () => {
          const started = { at: this.now() };
          this.runningSince.add(started);
          boot()
            .then((value) => {
              this.measured(this.now() - started.at);
              resolve(value);
            }, reject)
            .finally(() => {
              this.runningSince.delete(started);
              this.next();
            });
        },
      };
      const firstPool = priority === "learner" ? this.line.findIndex((other) => other.priority === "pool") : -1;
      if (firstPool === -1) this.line.push(waiting);
      else this.line.splice(firstPool, 0, waiting);
      this.next();
    });
  }

  /** Boots running now, and boots waiting for a place. */
  get load(): { running: number; waiting: number } {
    return { running: this.runningSince.size, waiting: this.line.length };
  }

  private measured(durationMs: number): void {
    this.bootDurations.push(durationMs);
    if (this.bootDurations.length > MEASURED_BOOTS) this.bootDurations.shift();
  }

  private next(): void {
    while (this.runningSince.size < this.concurrency && this.line.length > 0) this.line.shift()?.run();
    if (!this.line.some((waiting) => waiting.onQueued)) return;
    const now = this.now();
    const line = {
      concurrency: this.concurrency,
      runningForMs: [...this.runningSince].map((boot) => now - boot.at),
      typicalBootMs: typicalDuration(this.bootDurations),
    };
    this.line.forEach((waiting, index) => {
      const position = index + 1;
      const readyInMs = estimateReadyMs(line, position);
      waiting.onQueued?.(readyInMs === undefined ? { position } : { position, readyInMs });
    });
  }
}
