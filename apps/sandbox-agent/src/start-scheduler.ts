/**
 * Paces sandbox boots to what the machine can take: at most `concurrency`
 * boots run at once, and fewer (`whileTyping`) while a learner of the agent
 * types and no crowd is being served; the others wait in line, a learner's
 * start ahead of every pool refill, each kind first come, first served. A
 * busy machine then makes starts slower, never failed. A boot's own
 * deadlines count from when it was let through.
 *
 * Why fewer while learners type: a booting sandbox runs at idle priority,
 * but the host's share of a boot (dockerd, containerd, runc, the firewall
 * rules) cannot, and with every core in boots a keystroke's echo waits
 * behind it (bench:flood measured p99 2.9–3.6× an idle machine's at two
 * boots on two cores, 1.4–1.9× at one).
 */
import { availableParallelism } from "node:os";
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
/** A learner counts as typing for this long after a keystroke: the pauses of someone reading a line, not of someone reading the lesson. */
const DEFAULT_TYPING_QUIET_MS = 10_000;

export interface StartPacing {
  /** Boots at once while no learner types: the machine is the arrivals'. */
  concurrency: number;
  /** Boots at once while a learner types (default: `concurrency`; never above it), so the other cores answer keystrokes. */
  whileTyping?: number;
  /** How long after a keystroke a learner still counts as typing. */
  typingQuietMs?: number;
}

/** As deployed: every core for boots while no one types, half of them (at least one) while someone does. */
export function machinePacing(cpus = availableParallelism()): Required<Omit<StartPacing, "typingQuietMs">> {
  return { concurrency: cpus, whileTyping: Math.max(1, Math.floor(cpus / 2)) };
}

export class StartScheduler {
  /** When each boot running now was let through. */
  private readonly runningSince = new Set<{ at: number }>();
  private readonly line: Waiting[] = [];
  /** Durations of the latest successful boots, newest last. */
  private readonly bootDurations: number[] = [];

  private readonly pacing: Required<StartPacing>;
  /** When a learner last typed; -Infinity before anyone did. */
  private typedAt = Number.NEGATIVE_INFINITY;
  /** From when more starts wait than `concurrency` until the line is empty: no making way for typists meanwhile. */
  private servingCrowd = false;
  /** Lets the line move on when typing stops, while boots wait only for that. */
  private quietTimer: NodeJS.Timeout | undefined;

  constructor(
    pacing: StartPacing,
    private readonly now: () => number = () => performance.now(),
  ) {
    const { concurrency } = pacing;
    const whileTyping = Math.min(pacing.whileTyping ?? concurrency, concurrency);
    for (const [name, value] of [
      ["start concurrency", concurrency],
      ["start concurrency while learners type", whileTyping],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1, not ${value}`);
    }
    this.pacing = { concurrency, whileTyping, typingQuietMs: pacing.typingQuietMs ?? DEFAULT_TYPING_QUIET_MS };
  }

  /** A learner typed: boots beyond `whileTyping` wait until no one has typed for `typingQuietMs`. */
  learnerTyped(): void {
    this.typedAt = this.now();
  }

  /**
   * How many boots may run now: fewer while a learner types, unless a crowd
   * is being served (more starts waited than `concurrency`, and the line has
   * not emptied since): making way costs each waiting start up to a boot's
   * time, which a few can spare and a room arriving at once cannot, its last
   * arrivals least of all (bench:cluster, 100 arrivals: p95 ready in 28 s at
   * full speed, 44 s when its first arrivals' typing halved the boots, 35 s
   * when only the line's last two were).
   */
  get concurrency(): number {
    return this.quietInMs() > 0 && !this.servingCrowd ? this.pacing.whileTyping : this.pacing.concurrency;
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

  private quietInMs(): number {
    return Math.max(this.typedAt + this.pacing.typingQuietMs - this.now(), 0);
  }

  private next(): void {
    if (this.line.length > this.pacing.concurrency) this.servingCrowd = true;
    else if (this.line.length === 0) this.servingCrowd = false;
    // Fixed for this pass: the crowd is settled above and typing is read once.
    const { concurrency } = this;
    while (this.runningSince.size < concurrency && this.line.length > 0) this.line.shift()?.run();
    this.moveOnWhenQuiet();
    if (!this.line.some((waiting) => waiting.onQueued)) return;
    const now = this.now();
    const line = {
      concurrency,
      runningForMs: [...this.runningSince].map((boot) => now - boot.at),
      typicalBootMs: typicalDuration(this.bootDurations),
    };
    this.line.forEach((waiting, index) => {
      const position = index + 1;
      const readyInMs = estimateReadyMs(line, position);
      waiting.onQueued?.(readyInMs === undefined ? { position } : { position, readyInMs });
    });
  }

  /** Boots held back only by typing get their place once it stops (a keystroke meanwhile pushes the moment on). */
  private moveOnWhenQuiet(): void {
    clearTimeout(this.quietTimer);
    this.quietTimer = undefined;
    const quietInMs = this.quietInMs();
    if (quietInMs === 0 || this.line.length === 0 || this.runningSince.size >= this.pacing.concurrency) return;
    this.quietTimer = setTimeout(() => this.next(), quietInMs);
    this.quietTimer.unref();
  }
}
