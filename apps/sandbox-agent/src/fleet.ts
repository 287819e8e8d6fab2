import { EventEmitter } from "node:events";
import {
  type Assignment,
  type Disposable,
  newSandboxId,
  type SandboxDriver,
  type SandboxEvent,
  type SandboxLimits,
  toDisposable,
} from "@drydock/engine";
import type { SandboxState, SandboxStatus } from "@drydock/protocol";
import type { Logger } from "@drydock/server-kit";
import { backoffMs } from "./backoff";
import type { AgentMetrics } from "./metrics";
import { waitingMessage } from "./start-queue";
import type { StartScheduler } from "./start-scheduler";

export interface FleetPolicy {
  /** Started, unassigned sandboxes kept ready for instant starts. */
  poolSize: number;
  lifetimeSeconds: number;
  idleSeconds: number;
  /** How long before removal the learner is warned. */
  warnSeconds: number;
}

interface Tracked {
  status: SandboxStatus;
  assignment?: Assignment;
  lastActivity: number;
  /** Pause, resume and extend of this sandbox, one after the other. */
  changes?: Promise<unknown>;
}

/** What a start request may ask beyond the owner (a workshop seat's time). */
export interface SeatOptions {
  limits?: Partial<SandboxLimits>;
  /** When its time ends, instead of the policy's lifetime from now. */
  expiresAt?: Date;
  /** false: never removed for being idle. */
  idleLimit?: false;
  /** The lesson's workspace (default /root/lab). */
  workspace?: string;
}

/** A request that does not fit the sandbox's state (pausing one still starting: 409), or for a sandbox this agent does not serve (404). */
export class SandboxStateError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    readonly status: 404 | 409 = 409,
  ) {
    super(message);
    this.name = "SandboxStateError";
  }
}

const PAUSED_MESSAGE = "Paused: everything is kept as it was, and your time is stopped. It carries on when the instructor resumes it.";

/** A failed start or a lost sandbox stays visible this long, so a caller that asks late still learns why. */
const ENDED_RETENTION_MS = 60_000;
/**
 * Orphaned disks and volumes come from crashes, rarely: looked for at start
 * and then every ten minutes, not at each sweep. The look lists every fleet's
 * containers and volumes and the disks folder; bench:cluster's three agents
 * doing it every 15 s delayed keystrokes machine-wide by up to 77 ms.
 */
const ORPHAN_SWEEP_INTERVAL_MS = 10 * 60_000;
/**
 * Docker's events tell of every container that died or was removed, and a
 * broken stream replays what it missed, so the listing that catches what they
 * did not tell is a backstop: every five minutes, and at the next sweep after
 * the stream broke, not at every 15-s sweep (each a Docker list of the fleet's
 * containers and volumes and a freezer read per sandbox, on a host whose
 * CPUs the learners' keystrokes share).
 */
const STRAY_SWEEP_INTERVAL_MS = 5 * 60_000;
/** A failed pool refill is tried again after 1 s, 2 s, 4 s … up to a minute. */
const REFILL_RETRY = { firstMs: 1000, maxMs: 60_000 };

interface FleetEvents {
  status: [SandboxStatus];
  /** A sandbox is a learner's and ready (pooled or cold): their page is about to connect. */
  assigned: [string];
}

/** What the learner reads when their sandbox's container died or was removed under them. */
export function lostMessage(event: Pick<SandboxEvent, "kind" | "exitCode">): string {
  const what =
    event.kind === "removed"
      ? "its container was removed"
      : `its container stopped${event.exitCode === undefined ? "" : ` (exit code ${event.exitCode})`}`;
  return `The sandbox was lost: ${what}.`;
}

/**
 * The agent's sandboxes and their life cycle: hands out pooled sandboxes (or
 * starts one cold, reporting progress), keeps the warm pool filled, warns
 * before the time or idle limit and removes what expired. Its state is
 * rebuilt from the engine at start, so an agent restart loses nothing.
 */
export class SandboxFleet implements Disposable {
  private readonly sandboxes = new Map<string, Tracked>();
  private readonly pool: string[] = [];
  // Every open sandbox channel listens (a room of thirty is thirty listeners): no count is a leak here.
  private readonly events = new EventEmitter<FleetEvents>().setMaxListeners(0);
  /** The pool sandbox being created, if any: not pooled yet, and no stray either. */
  private refilling: string | undefined;
  /** Settles when the refill under way (if any) has finished, or cleaned up after itself once disposed. */
  private refillSettled: Promise<void> = Promise.resolve();
  /** When orphans were last looked for (at start, then every ORPHAN_SWEEP_INTERVAL_MS). */
  private orphansSweptAt = Number.NEGATIVE_INFINITY;
  /** When the engine's list was last checked against the fleet (every STRAY_SWEEP_INTERVAL_MS, and after the event stream broke). */
  private straysSweptAt = Number.NEGATIVE_INFINITY;
  private refillFailures = 0;
  private refillRetry: NodeJS.Timeout | undefined;
  private engineEvents: Disposable | undefined;
  private disposed = false;

  constructor(
    private readonly driver: SandboxDriver,
    private readonly policy: FleetPolicy,
    private readonly log: Logger,
    private readonly metrics: AgentMetrics,
    /** Paces cold starts and refills; pool hand-outs never wait for it. */
    private readonly scheduler: StartScheduler,
  ) {}

  /** Hears every status change of every sandbox of the fleet until disposed. */
  onStatus(listener: (status: SandboxStatus) => void): Disposable {
    this.events.on("status", listener);
    return toDisposable(() => this.events.off("status", listener));
  }

  /** Hears every sandbox handed to a learner, once it is theirs, until disposed. */
  onAssigned(listener: (sandboxId: string) => void): Disposable {
    this.events.on("assigned", listener);
    return toDisposable(() => this.events.off("assigned", listener));
  }

  /**
   * Follows the engine's events for the fleet's containers: a sandbox whose
   * container dies or is removed under it is lost, and its learner is told
   * within moments instead of at the next sweep.
   */
  watchSandboxes(): void {
    this.engineEvents ??= this.driver.watchEvents({
      onEvent: (event) => this.onSandboxEvent(event),
      onError: (error) => {
        this.log.warn("fleet.events_interrupted", { error });
        this.straysSweptAt = Number.NEGATIVE_INFINITY;
      },
    });
  }

  /** Adopts what the engine runs: owned sandboxes are served again, pooled ones rejoin the pool. */
  async adopt(): Promise<void> {
    const now = Date.now();
    for (const sandbox of await this.driver.list()) {
      if (sandbox.state === "gone") continue;
      if (!sandbox.assignment) {
        if (sandbox.state === "ready") this.pool.push(sandbox.id);
        continue;
      }
      let { assignment } = sandbox;
      // Paused without the record of it (the agent stopped in between): its time stops from now.
      if (sandbox.state === "paused" && !assignment.pausedAt) assignment = { ...assignment, pausedAt: new Date(now) };
      this.sandboxes.set(sandbox.id, {
        assignment,
        lastActivity: now,
        status: sandbox.state === "paused" ? this.pausedStatus(sandbox.id, assignment) : this.readyStatus(sandbox.id, assignment),
      });
    }
    this.log.info("fleet.adopted", { owned: this.sandboxes.size, pooled: this.pool.length });
    this.updateGauges();
  }

  status(sandboxId: string): SandboxStatus | undefined {
    return this.sandboxes.get(sandboxId)?.status;
  }

  /**
   * Starts a sandbox for an owner: a pooled one is handed over at once and
   * comes back ready; a cold one comes back starting and reports its progress
   * as status events.
   */
  async request(owner: string, env: Record<string, string>, seat: SeatOptions = {}): Promise<SandboxStatus> {
    const { limits, idleLimit, workspace } = seat;
    const expiresAt = seat.expiresAt ?? new Date(Date.now() + this.policy.lifetimeSeconds * 1000);
    const assignment: Assignment = {
      owner,
      expiresAt,
      env,
      ...(idleLimit === false ? { idleLimit } : {}),
      ...(workspace ? { workspace } : {}),
    };
    const pooled = this.pool.shift();
    const id = pooled ?? newSandboxId();
    const tracked: Tracked = {
      assignment,
      lastActivity: Date.now(),
      status: { sandboxId: id, state: "starting", percent: 0, message: "Requested" },
    };
    this.sandboxes.set(id, tracked);
    const started = performance.now();
    const progress = (percent: number, message: string) => this.setStatus(id, { ...tracked.status, percent, message });
    const starting = pooled
      ? this.driver.assign(id, assignment, limits)
      : this.scheduler.run(
          "learner",
          () =>
            this.driver.create(
              { id, owner, env, limits, expiresAt, ...(idleLimit === false ? { idleLimit } : {}), ...(workspace ? { workspace } : {}) },
              (step) => progress(step.percent, step.message),
            ),
          (place) => progress(0, waitingMessage(place)),
        );
    const outcome = starting.then(
      () => {
        this.events.emit("assigned", id);
        const seconds = (performance.now() - started) / 1000;
        this.metrics.startSeconds.observe({ source: pooled ? "pool" : "cold" }, seconds);
        this.log.info("sandbox.ready", { sandboxId: id, owner, source: pooled ? "pool" : "cold", ms: Math.round(seconds * 1000) });
        this.setStatus(id, this.readyStatus(id, assignment));
      },
      (error: unknown) => {
        this.log.error("sandbox.start_failed", { sandboxId: id, owner, error });
        const message = error instanceof Error ? error.message : "The sandbox could not be started.";
        tracked.lastActivity = Date.now();
        this.setStatus(id, { sandboxId: id, state: "failed", percent: 0, message });
      },
    );
    this.refill();
    if (pooled) await outcome;
    return tracked.status;
  }

  /**
   * Freezes an owned, running sandbox (the engine's pause): nothing in it
   * runs, nothing is lost, and neither its time nor its idle limit runs out
   * while it is paused.
   */
  pause(sandboxId: string): Promise<SandboxStatus> {
    return this.change(sandboxId, async (tracked, assignment) => {
      if (tracked.status.state === "paused") return tracked.status;
      this.requireState(sandboxId, tracked, ["ready", "expiring"], "paused");
      await this.driver.pause(sandboxId);
      const paused = { ...assignment, pausedAt: new Date() };
      tracked.assignment = paused;
      this.log.info("sandbox.paused", { sandboxId, owner: assignment.owner });
      this.setStatus(sandboxId, this.pausedStatus(sandboxId, paused));
      await this.record(sandboxId, paused);
      return tracked.status;
    });
  }

  /** Thaws a paused sandbox: its end moves later by the time it was paused, and its idle time starts again from now. */
  resume(sandboxId: string): Promise<SandboxStatus> {
    return this.change(sandboxId, async (tracked, assignment) => {
      if (tracked.status.state !== "paused") {
        this.requireState(sandboxId, tracked, ["ready", "expiring"], "resumed");
        return tracked.status;
      }
      await this.driver.resume(sandboxId);
      const now = Date.now();
      const pausedMs = now - (assignment.pausedAt?.getTime() ?? now);
      const { pausedAt: _, ...running } = { ...assignment, expiresAt: new Date(assignment.expiresAt.getTime() + pausedMs) };
      tracked.assignment = running;
      tracked.lastActivity = now;
      this.log.info("sandbox.resumed", { sandboxId, owner: assignment.owner, pausedMs });
      this.setStatus(sandboxId, this.readyStatus(sandboxId, running));
      await this.record(sandboxId, running);
      return tracked.status;
    });
  }

  /**
   * Gives an owned sandbox a new end, later or earlier. A paused one gets it
   * as of now: the time it stays paused after this still moves it on resume.
   */
  extend(sandboxId: string, expiresAt: Date): Promise<SandboxStatus> {
    return this.change(sandboxId, async (tracked, assignment) => {
      this.requireState(sandboxId, tracked, ["ready", "expiring", "paused"], "given a new end");
      const paused = tracked.status.state === "paused";
      const extended: Assignment = { ...assignment, expiresAt, ...(paused ? { pausedAt: new Date() } : {}) };
      tracked.assignment = extended;
      this.log.info("sandbox.extended", { sandboxId, owner: assignment.owner, expiresAt: expiresAt.toISOString() });
      // An expiring sandbox is ready again; the next sweep warns anew if the new end is near.
      this.setStatus(sandboxId, paused ? this.pausedStatus(sandboxId, extended) : this.readyStatus(sandboxId, extended));
      await this.record(sandboxId, extended);
      return tracked.status;
    });
  }

  /** Runs one change of an owned sandbox after the ones under way, so a pause and a resume never cross. */
  private change(sandboxId: string, apply: (tracked: Tracked, assignment: Assignment) => Promise<SandboxStatus>): Promise<SandboxStatus> {
    const tracked = this.sandboxes.get(sandboxId);
    if (!tracked?.assignment) {
      return Promise.reject(
        new SandboxStateError(`No sandbox ${sandboxId} of a learner on this agent.`, "It may have ended; start a new one.", 404),
      );
    }
    const run = (tracked.changes ?? Promise.resolve())
      .catch(() => {})
      .then(() => {
        const { assignment } = tracked;
        if (!assignment || this.sandboxes.get(sandboxId) !== tracked) {
          throw new SandboxStateError(`Sandbox ${sandboxId} has ended.`, "Start a new one.");
        }
        return apply(tracked, assignment);
      });
    tracked.changes = run;
    return run;
  }

  private requireState(sandboxId: string, tracked: Tracked, allowed: SandboxState[], what: string): void {
    const { state } = tracked.status;
    if (allowed.includes(state)) return;
    const hint = state === "starting" ? "Wait until it is ready." : state === "paused" ? "Resume it first." : "Start a new one.";
    throw new SandboxStateError(`Sandbox ${sandboxId} is ${state}: it cannot be ${what}.`, hint);
  }

  /** Keeps a changed assignment in the engine, so an agent restart finds the sandbox as it was left. */
  private async record(sandboxId: string, assignment: Assignment): Promise<void> {
    await this.driver.assign(sandboxId, assignment).catch((error: unknown) => {
      this.log.error("sandbox.assignment_not_saved", { sandboxId, error, hint: "An agent restart would find the earlier assignment." });
    });
  }

  /** Marks learner activity: typing, saving, checking. Lifts an idle warning. */
  touch(sandboxId: string): void {
    const tracked = this.sandboxes.get(sandboxId);
    if (!tracked?.assignment) return;
    tracked.lastActivity = Date.now();
    if (tracked.status.state === "expiring" && tracked.status.removalReason === "idle") {
      this.setStatus(sandboxId, this.readyStatus(sandboxId, tracked.assignment));
    }
  }

  async remove(sandboxId: string, why: string): Promise<void> {
    const tracked = this.sandboxes.get(sandboxId);
    this.sandboxes.delete(sandboxId);
    await this.driver.destroy(sandboxId);
    this.log.info("sandbox.destroyed", { sandboxId, by: why });
    if (tracked) this.setStatus(sandboxId, { sandboxId, state: "gone", percent: 0, message: why });
    this.updateGauges();
  }

  /**
   * One pass of the life-cycle clock: warn, then remove, sandboxes past their
   * time or idle limit; now and then, remove what the engine holds that
   * nobody owns.
   */
  async sweep(now = Date.now()): Promise<void> {
    for (const [id, tracked] of this.sandboxes) {
      if (tracked.status.state === "failed" || tracked.status.state === "gone") {
        if (now - tracked.lastActivity > ENDED_RETENTION_MS) this.sandboxes.delete(id);
        continue;
      }
      // A paused sandbox's time is stopped: neither limit runs out.
      if (!tracked.assignment || tracked.status.state === "starting" || tracked.status.state === "paused") continue;
      const timeLimit = tracked.assignment.expiresAt.getTime();
      const idleLimit =
        tracked.assignment.idleLimit === false ? Number.POSITIVE_INFINITY : tracked.lastActivity + this.policy.idleSeconds * 1000;
      const removalAt = Math.min(timeLimit, idleLimit);
      const reason = timeLimit <= idleLimit ? "time-limit" : "idle";
      if (now >= removalAt) {
        await this.remove(id, reason === "idle" ? "Removed after being idle too long." : "The session's time is up.");
      } else if (now >= removalAt - this.policy.warnSeconds * 1000 && tracked.status.state !== "expiring") {
        const minutes = Math.max(1, Math.round((removalAt - now) / 60_000));
        this.setStatus(id, {
          ...tracked.status,
          state: "expiring",
          message:
            reason === "idle"
              ? `Idle: this sandbox will be removed in ${minutes} min unless you use it.`
              : `Time is nearly up: this sandbox will be removed in ${minutes} min.`,
          removalAt: new Date(removalAt).toISOString(),
          removalReason: reason,
        });
      }
    }
    if (now - this.straysSweptAt >= STRAY_SWEEP_INTERVAL_MS) await this.removeStrays();
    if (now - this.orphansSweptAt >= ORPHAN_SWEEP_INTERVAL_MS) await this.removeOrphans();
    this.refill();
  }

  /**
   * What the engine's events may not have told (the agent was down, or the
   * stream broke): running sandboxes whose container is gone or stopped are
   * lost; sandboxes expired, or owned by nobody this agent knows, are
   * removed.
   */
  private async removeStrays(): Promise<void> {
    this.straysSweptAt = Date.now();
    const listed = await this.driver.list();
    const running = new Set(listed.filter((sandbox) => sandbox.state !== "gone").map((sandbox) => sandbox.id));
    const lost = [...this.pool, ...this.sandboxes.keys()].filter((id) => !running.has(id));
    for (const id of lost) this.markLost(id, { kind: "removed" });
    for (const sandbox of listed) {
      if (lost.includes(sandbox.id) || sandbox.id === this.refilling) continue;
      const known = this.sandboxes.has(sandbox.id) || this.pool.includes(sandbox.id);
      const expired = sandbox.state === "ready" && sandbox.assignment && sandbox.assignment.expiresAt.getTime() <= Date.now();
      if (sandbox.state === "gone" || expired || (!known && sandbox.assignment)) {
        await this.remove(sandbox.id, sandbox.state === "gone" ? "Its container stopped." : "Expired or orphaned.");
      }
    }
  }

  /** Removes disks and volumes whose sandbox has no container in any fleet (engine's removeOrphans), logging what went. */
  async removeOrphans(): Promise<void> {
    this.orphansSweptAt = Date.now();
    const removed = await this.driver.removeOrphans();
    if (removed.disks.length + removed.volumes.length > 0) this.log.info("fleet.orphans_removed", { ...removed });
  }

  private onSandboxEvent(event: SandboxEvent): void {
    if (event.kind === "oom") {
      this.log.warn("sandbox.out_of_memory", {
        sandboxId: event.sandboxId,
        hint: "A process in the sandbox was killed at its memory limit.",
      });
    } else if (event.kind === "died" || event.kind === "removed") {
      this.markLost(event.sandboxId, event);
    }
  }

  /**
   * A sandbox whose container died or was removed without the agent asking:
   * its learner is told it was lost (kept a while, so a late caller learns
   * it too), a pooled one leaves the pool, and what is left of it (data
   * disk, volumes) is removed. Sandboxes still starting fail on their own.
   */
  private markLost(sandboxId: string, event: Pick<SandboxEvent, "kind" | "exitCode">): void {
    const poolIndex = this.pool.indexOf(sandboxId);
    const tracked = this.sandboxes.get(sandboxId);
    if (poolIndex >= 0) {
      this.pool.splice(poolIndex, 1);
      this.log.warn("pool.sandbox_lost", { sandboxId, cause: event.kind, exitCode: event.exitCode });
    } else if (tracked && isLive(tracked.status.state)) {
      this.log.warn("sandbox.lost", { sandboxId, owner: tracked.assignment?.owner, cause: event.kind, exitCode: event.exitCode });
      tracked.lastActivity = Date.now();
      this.setStatus(sandboxId, { sandboxId, state: "gone", percent: 0, message: lostMessage(event) });
    } else {
      return;
    }
    this.driver.destroy(sandboxId).catch((error: unknown) => this.log.error("sandbox.cleanup_failed", { sandboxId, error }));
    this.updateGauges();
    this.refill();
  }

  /**
   * Fills the pool one sandbox at a time, behind learners' starts in the
   * scheduler's line; a failed refill is tried again with backoff.
   */
  refill(): void {
    if (this.refilling || this.refillRetry || this.disposed || this.pool.length >= this.policy.poolSize) return;
    const id = newSandboxId();
    this.refilling = id;
    this.refillSettled = this.scheduler
      // A refill still waiting for its turn when the agent stops never starts.
      .run("pool", () => (this.disposed ? Promise.reject(new Error("The agent is stopping.")) : this.driver.create({ id })))
      .then(async (sandbox) => {
        this.refilling = undefined;
        this.refillFailures = 0;
        if (this.disposed) return this.driver.destroy(sandbox.id);
        this.pool.push(sandbox.id);
        this.updateGauges();
        this.refill();
      })
      .catch((error: unknown) => {
        this.refilling = undefined;
        if (this.disposed) return;
        const retryInMs = backoffMs(this.refillFailures, REFILL_RETRY);
        this.refillFailures += 1;
        this.log.error("pool.refill_failed", { error, attempt: this.refillFailures, retryInMs });
        this.refillRetry = setTimeout(() => {
          this.refillRetry = undefined;
          this.refill();
        }, retryInMs);
        this.refillRetry.unref();
      });
  }

  get pooled(): readonly string[] {
    return this.pool;
  }

  /** Learners' sandboxes held (starting, ready, expiring or paused): what the control plane's placement counts. */
  get assignedCount(): number {
    let count = 0;
    for (const tracked of this.sandboxes.values()) {
      if (tracked.assignment && tracked.status.state !== "gone" && tracked.status.state !== "failed") count += 1;
    }
    return count;
  }

  /** Stops refilling and watching the engine; the sandboxes themselves run on (a restarted agent adopts them). */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.refillRetry);
    this.engineEvents?.dispose();
  }

  /**
   * Once disposed: settles when no pool sandbox is half made any more (the
   * refill under way finished and removed what it made), so a stopping
   * agent leaves nothing behind for its fleet's removal to miss.
   */
  settled(): Promise<void> {
    return this.refillSettled;
  }

  private readyStatus(sandboxId: string, assignment: Assignment): SandboxStatus {
    return { sandboxId, state: "ready", percent: 100, message: "Ready", expiresAt: assignment.expiresAt.toISOString() };
  }

  private pausedStatus(sandboxId: string, assignment: Assignment): SandboxStatus {
    return { sandboxId, state: "paused", percent: 100, message: PAUSED_MESSAGE, expiresAt: assignment.expiresAt.toISOString() };
  }

  private setStatus(sandboxId: string, status: SandboxStatus): void {
    const tracked = this.sandboxes.get(sandboxId);
    if (tracked) tracked.status = status;
    this.events.emit("status", status);
    this.updateGauges();
  }

  private updateGauges(): void {
    const counts: Record<SandboxState, number> = { starting: 0, ready: 0, expiring: 0, paused: 0, gone: 0, failed: 0 };
    for (const tracked of this.sandboxes.values()) counts[tracked.status.state] += 1;
    for (const [state, count] of Object.entries(counts)) this.metrics.sandboxes.set({ state }, count);
    this.metrics.poolSize.set(this.pool.length);
  }
}

function isLive(state: SandboxState): boolean {
  return state === "ready" || state === "expiring" || state === "paused";
}
