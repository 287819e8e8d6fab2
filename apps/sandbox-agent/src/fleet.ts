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
}

/** A failed start or a lost sandbox stays visible this long, so a caller that asks late still learns why. */
const ENDED_RETENTION_MS = 60_000;
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
  private readonly events = new EventEmitter<FleetEvents>();
  /** The pool sandbox being created, if any: not pooled yet, and no stray either. */
  private refilling: string | undefined;
  /** Settles when the refill under way (if any) has finished, or cleaned up after itself once disposed. */
  private refillSettled: Promise<void> = Promise.resolve();
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
      onError: (error) => this.log.warn("fleet.events_interrupted", { error }),
    });
  }

  /** Adopts what the engine runs: owned sandboxes are served again, pooled ones rejoin the pool. */
  async adopt(): Promise<void> {
    const now = Date.now();
    for (const sandbox of await this.driver.list()) {
      if (sandbox.state !== "ready") continue;
      if (!sandbox.assignment) {
        this.pool.push(sandbox.id);
        continue;
      }
      this.sandboxes.set(sandbox.id, {
        assignment: sandbox.assignment,
        lastActivity: now,
        status: this.readyStatus(sandbox.id, sandbox.assignment),
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
  async request(owner: string, env: Record<string, string>, limits?: Partial<SandboxLimits>): Promise<SandboxStatus> {
    const expiresAt = new Date(Date.now() + this.policy.lifetimeSeconds * 1000);
    const assignment: Assignment = { owner, expiresAt, env };
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
            this.driver.create({ id, owner, env, limits, lifetimeSeconds: this.policy.lifetimeSeconds }, (step) =>
              progress(step.percent, step.message),
            ),
          (ahead) => progress(0, `Waiting for the machine: ${ahead} sandbox${ahead === 1 ? "" : "es"} starting before yours`),
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
   * time or idle limit; remove what the engine holds that nobody owns.
   */
  async sweep(now = Date.now()): Promise<void> {
    for (const [id, tracked] of this.sandboxes) {
      if (tracked.status.state === "failed" || tracked.status.state === "gone") {
        if (now - tracked.lastActivity > ENDED_RETENTION_MS) this.sandboxes.delete(id);
        continue;
      }
      if (!tracked.assignment || tracked.status.state === "starting") continue;
      const timeLimit = tracked.assignment.expiresAt.getTime();
      const idleLimit = tracked.lastActivity + this.policy.idleSeconds * 1000;
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
    await this.removeStrays();
    this.refill();
  }

  /**
   * What the engine's events may not have told (the agent was down, or the
   * stream broke): running sandboxes whose container is gone or stopped are
   * lost; sandboxes expired, or owned by nobody this agent knows, are
   * removed; then disks and volumes left without a container (any fleet's).
   */
  private async removeStrays(): Promise<void> {
    const listed = await this.driver.list();
    const running = new Set(listed.filter((sandbox) => sandbox.state === "ready").map((sandbox) => sandbox.id));
    const lost = [...this.pool, ...this.sandboxes.keys()].filter((id) => !running.has(id));
    for (const id of lost) this.markLost(id, { kind: "removed" });
    for (const sandbox of listed) {
      if (lost.includes(sandbox.id) || sandbox.id === this.refilling) continue;
      const known = this.sandboxes.has(sandbox.id) || this.pool.includes(sandbox.id);
      const expired = sandbox.assignment && sandbox.assignment.expiresAt.getTime() <= Date.now();
      if (sandbox.state === "gone" || expired || (!known && sandbox.assignment)) {
        await this.remove(sandbox.id, sandbox.state === "gone" ? "Its container stopped." : "Expired or orphaned.");
      }
    }
    await this.removeOrphans();
  }

  /** Removes disks and volumes whose sandbox has no container in any fleet (engine's removeOrphans), logging what went. */
  async removeOrphans(): Promise<void> {
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

  private setStatus(sandboxId: string, status: SandboxStatus): void {
    const tracked = this.sandboxes.get(sandboxId);
    if (tracked) tracked.status = status;
    this.events.emit("status", status);
    this.updateGauges();
  }

  private updateGauges(): void {
    const counts: Record<SandboxState, number> = { starting: 0, ready: 0, expiring: 0, gone: 0, failed: 0 };
    for (const tracked of this.sandboxes.values()) counts[tracked.status.state] += 1;
    for (const [state, count] of Object.entries(counts)) this.metrics.sandboxes.set({ state }, count);
    this.metrics.poolSize.set(this.pool.length);
  }
}

function isLive(state: SandboxState): boolean {
  return state === "ready" || state === "expiring";
}
