/**
 * Paces sandbox boots to what the machine can take: at most `concurrency`
 * boots run at once; the others wait in line, a learner's start ahead of
 * every pool refill, each kind first come, first served. A busy machine
 * then makes starts slower, never failed. A boot's own deadlines count from
 * when it was let through.
 */
export type StartPriority = "learner" | "pool";

interface Waiting {
  priority: StartPriority;
  run(): void;
  /** Told how many boots are ahead of it whenever the line moves. */
  onQueued?: (ahead: number) => void;
}

export class StartScheduler {
  private running = 0;
  private readonly line: Waiting[] = [];

  constructor(readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new Error(`start concurrency must be a whole number ≥ 1, not ${concurrency}`);
  }

  /** Runs `boot` once a place is free; `onQueued` hears its place in line while it waits. */
  run<T>(priority: StartPriority, boot: () => Promise<T>, onQueued?: (ahead: number) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiting: Waiting = {
        priority,
        onQueued,
        run: () => {
          this.running += 1;
          boot()
            .then(resolve, reject)
            .finally(() => {
              this.running -= 1;
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
    return { running: this.running, waiting: this.line.length };
  }

  private next(): void {
    while (this.running < this.concurrency && this.line.length > 0) this.line.shift()?.run();
    this.line.forEach((waiting, index) => {
      waiting.onQueued?.(this.running + index);
    });
  }
}
