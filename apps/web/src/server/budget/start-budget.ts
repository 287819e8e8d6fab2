import { randomBytes } from "node:crypto";
import type { Placement, UnplacedSession } from "../agents/agent-placement";
import type { Database } from "../db";
import { HttpError } from "../http/http-error";
import { type BudgetSession, isLive, isSurelyOver } from "./live-sessions";
import { type RateLimiter, rateRefusal } from "./rate-limiter";
import { type BudgetLimits, type BudgetRefusal, decideStart, fullRefusal } from "./start-decision";
import type { StartLock, StartRecords } from "./start-lock";

export interface StartRequest {
  visitorId: string;
  lessonId: string | null;
  /** Set for a workshop seat's start, which the workshop's capacity bounds instead of the deployment's. */
  workshopId: string | null;
}

/** A session this start replaces: recorded as ended, its sandbox is still to be removed. */
export interface ReplacedSession extends BudgetSession {
  sandboxId: string | null;
  agentUrl: string;
}

export interface ReservedStart {
  sessionId: string;
  /** The agent that hosts the new session's sandbox. */
  placement: Placement;
  /** The visitor's sessions of the same lesson, which this start ends. */
  replaced: ReplacedSession[];
}

/**
 * Of recorded sessions, the ids whose sandbox its agent no longer has (removed
 * by `npm run stop`, lost, reaped while this node was down). An agent that
 * cannot be asked leaves its sessions counted.
 */
export type GoneSandboxes = (sessions: ReplacedSession[]) => Promise<string[]>;

/** Records a new session on the agent that will host it (see agents/agent-placement.ts), with the start lock's records; a 503 when none has room. */
export type PlaceSession = (session: UnplacedSession, records: StartRecords) => Promise<Placement>;

/** Every start spends from a budget: per address and minute, per visitor, and the deployment's capacity. */
export interface StartBudget {
  /**
   * Counts a start attempt from a client address; a refusal when it made too
   * many in the last minute (429), or while the deployment was found full a
   * moment ago (503). Cheap (memory, or one Redis call with several web
   * nodes): server.ts asks it before Next sees the request, so a flood costs
   * the server next to nothing.
   */
  attempt(address: string, options?: { seat: boolean }): Promise<HttpError | undefined>;
  /** Checks the visitor's cap and the capacity and records the start ("starting") in one step; a refusal is an HttpError with Retry-After. */
  reserve(request: StartRequest): Promise<ReservedStart>;
  /** A session ended on this node: its place is free, so "full" must be checked again. */
  released(): void;
}

/**
 * How long a "full" found by a reservation is answered at the door without
 * reading the sessions again. A session ended on this node clears it at once;
 * one ended elsewhere (another web node) is seen at most this late.
 */
const FULL_REMEMBERED_MS = 2_000;

const LIVE_STATES = ["starting", "ready"];

type LockedAttempt =
  | { allowed: true; reserved: ReservedStart }
  | { allowed: false; refusal: BudgetRefusal; unconfirmed: ReplacedSession[] };

/** Sessions well past their time or idle limit (or whose sandbox is gone) are gone on their agent already; the record catches up. */
async function markGone(records: StartRecords, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await records.session.updateMany({
    where: { id: { in: ids }, state: { in: LIVE_STATES } },
    data: { state: "gone", endedAt: new Date() },
  });
}

export function createStartBudget(
  db: Database,
  lock: StartLock,
  limits: BudgetLimits,
  rate: RateLimiter,
  goneSandboxes: GoneSandboxes,
  place: PlaceSession,
): StartBudget {
  // One reservation at a time on this node: a node's starts queue here rather than each holding a database connection while it waits for the lock.
  let queue: Promise<unknown> = Promise.resolve();
  let fullUntil = 0;
  let fullFreesAt = 0;

  const refused = (refusal: BudgetRefusal) =>
    new HttpError(refusal.message, refusal.status, { "retry-after": String(refusal.retryAfterSeconds) });

  async function reserveNow(request: StartRequest): Promise<ReservedStart> {
    let attempt = await lock((records) => reserveLocked(records, request));
    if (!attempt.allowed) {
      // The records may count sandboxes that are gone: the engine is the truth. Asked only before a refusal, and outside the lock.
      const gone = await goneSandboxes(attempt.unconfirmed);
      if (gone.length > 0) {
        await markGone(db, gone);
        attempt = await lock((records) => reserveLocked(records, request));
      }
    }
    if (attempt.allowed) return attempt.reserved;
    if (attempt.refusal.status === 503) {
      fullUntil = Math.min(Date.now() + FULL_REMEMBERED_MS, attempt.refusal.freesAt);
      fullFreesAt = attempt.refusal.freesAt;
    }
    throw refused(attempt.refusal);
  }

  /** Under the start lock: the live sessions read and the new one recorded, or the refusal with the sessions it counted. */
  async function reserveLocked(records: StartRecords, request: StartRequest): Promise<LockedAttempt> {
    const now = Date.now();
    const recorded = await records.session.findMany({
      where: { state: { in: LIVE_STATES } },
      select: {
        id: true,
        visitorId: true,
        lessonId: true,
        state: true,
        createdAt: true,
        expiresAt: true,
        activeAt: true,
        workshopId: true,
        sandboxId: true,
        agentUrl: true,
      },
    });
    const live = recorded.filter((session) => isLive(session, now, limits.idleMs));
    const over = recorded.filter((session) => isSurelyOver(session, now, limits.idleMs)).map((session) => session.id);
    const decision = decideStart(request, live, limits, now);
    if (!decision.allowed) {
      await markGone(records, over);
      return { allowed: false, refusal: decision, unconfirmed: live.filter((session) => session.state === "ready" && session.sandboxId) };
    }
    await markGone(records, [...over, ...decision.replaces.map((session) => session.id)]);
    const sessionId = `ses_${randomBytes(12).toString("hex")}`;
    const placement = await place(
      { id: sessionId, visitorId: request.visitorId, lessonId: request.lessonId, workshopId: request.workshopId, state: "starting" },
      records,
    );
    return { allowed: true, reserved: { sessionId, placement, replaced: decision.replaces } };
  }

  return {
    async attempt(address, options) {
      const now = Date.now();
      const tooMany = await rateRefusal(
        rate,
        address,
        (seconds) => `Too many sandboxes were started from your address in the last minute. Try again in ${seconds} s.`,
        now,
      );
      if (tooMany) return tooMany;
      // A workshop seat is not refused for the anonymous capacity; reserve() checks that it is one.
      return now < fullUntil && !options?.seat ? refused(fullRefusal(fullFreesAt, now, limits.idleMs)) : undefined;
    },
    released() {
      fullUntil = 0;
    },
    reserve(request) {
      const reserved = queue.then(() => reserveNow(request));
      queue = reserved.catch(() => undefined);
      return reserved;
    },
  };
}
