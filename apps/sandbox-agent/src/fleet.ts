import { EventEmitter } from "node:events";
import { type Assignment, newSandboxId, type SandboxDriver, type SandboxLimits } from "@drydock/engine";
import type { Logger, SandboxState, SandboxStatus } from "@drydock/protocol";
import type { AgentMetrics } from "./metrics";

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

/** A failed start stays visible this long, so a caller that asks late still learns why. */
const FAILED_RETENTION_MS = 60_000;

export interface FleetEvents {
  status: [SandboxStatus];
  /** A sandbox is a learner's and ready (pooled or cold): their page is about to connect. */
  assigned: [string];
}

/**
 * The agent's sandboxes and their life cycle: hands out pooled sandboxes (or
 * starts one cold, reporting progress), keeps the warm pool filled, warns
 * before the time or idle limit and removes what expired. Its state is
 * rebuilt from the engine at start, so an agent restart loses nothing.
 */
export class SandboxFleet extends EventEmitter<FleetEvents> {
  private readonly sandboxes = new Map<string, Tracked>();
  private readonly pool: string[] = [];
  private refilling = false;
  private stopped = false;

  constructor(
    private readonly driver: SandboxDriver,
    private readonly policy: FleetPolicy,
    private readonly log: Logger,
    private readonly metrics: AgentMetrics,
  ) {
    super();
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
    const starting = pooled
      ? this.driver.assign(id, assignment, limits)
      : this.driver.create({ id, owner, env, limits, lifetimeSeconds: this.policy.lifetimeSeconds }, (progress) =>
          this.setStatus(id, { ...tracked.status, percent: progress.percent, message: progress.message }),
        );
    const outcome = starting.then(
      () => {
        this.emit("assigned", id);
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
      if (tracked.status.state === "failed") {
        if (now - tracked.lastActivity > FAILED_RETENTION_MS) this.sandboxes.delete(id);
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

  /** Containers that stopped, and sandboxes whose owner the agent no longer knows and that are not pooled. */
  private async removeStrays(): Promise<void> {
    for (const sandbox of await this.driver.list()) {
      const known = this.sandboxes.has(sandbox.id) || this.pool.includes(sandbox.id);
      const expired = sandbox.assignment && sandbox.assignment.expiresAt.getTime() <= Date.now();
      if (sandbox.state === "gone" || expired || (!known && sandbox.assignment)) {
        const poolIndex = this.pool.indexOf(sandbox.id);
        if (poolIndex >= 0) this.pool.splice(poolIndex, 1);
        await this.remove(sandbox.id, sandbox.state === "gone" ? "Its container stopped." : "Expired or orphaned.");
      }
    }
  }

  /** Fills the pool one sandbox at a time, so a claimed sandbox's start is never slowed by many refills. */
  refill(): void {
    if (this.refilling || this.stopped || this.pool.length >= this.policy.poolSize) return;
    this.refilling = true;
    this.driver
      .create({})
      .then(async (sandbox) => {
        this.refilling = false;
        if (this.stopped) return this.driver.destroy(sandbox.id);
        this.pool.push(sandbox.id);
        this.updateGauges();
        this.refill();
      })
      .catch((error: unknown) => {
        // No retry loop: the next sweep tries again.
        this.refilling = false;
        this.log.error("pool.refill_failed", { error });
      });
  }

  get pooled(): readonly string[] {
    return this.pool;
  }

  stop(): void {
    this.stopped = true;
  }

  private readyStatus(sandboxId: string, assignment: Assignment): SandboxStatus {
    return { sandboxId, state: "ready", percent: 100, message: "Ready", expiresAt: assignment.expiresAt.toISOString() };
  }

  private setStatus(sandboxId: string, status: SandboxStatus): void {
    const tracked = this.sandboxes.get(sandboxId);
    if (tracked) tracked.status = status;
    this.emit("status", status);
    this.updateGauges();
  }

  private updateGauges(): void {
    const counts: Record<SandboxState, number> = { starting: 0, ready: 0, expiring: 0, gone: 0, failed: 0 };
    for (const tracked of this.sandboxes.values()) counts[tracked.status.state] += 1;
    for (const [state, count] of Object.entries(counts)) this.metrics.sandboxes.set({ state }, count);
    this.metrics.poolSize.set(this.pool.length);
  }
}
