import { randomBytes } from "node:crypto";
import type { Database } from "../db";
import { HttpError } from "../http/http-error";
import { type BudgetSession, isLive } from "./live-sessions";
import type { RateLimiter } from "./rate-limiter";
import { type BudgetLimits, decideStart } from "./start-decision";

export interface StartRequest {
  visitorId: string;
  lessonId: string | null;
  /** The client's address, as the server saw the connection. */
  address: string;
  /** The agent that will host the sandbox. */
  agentUrl: string;
}

/** A session this start replaces: recorded as ended, its sandbox is still to be removed. */
export interface ReplacedSession extends BudgetSession {
  sandboxId: string | null;
  agentUrl: string;
}

export interface ReservedStart {
  sessionId: string;
  /** The visitor's sessions of the same lesson, which this start ends. */
  replaced: ReplacedSession[];
}

/** Every start spends from a budget: per address and minute, per visitor, and the deployment's capacity. */
export interface StartBudget {
  /** Checks the budget and records the start ("starting") in one step; a refusal is an HttpError with Retry-After. */
  reserve(request: StartRequest): Promise<ReservedStart>;
}

const LIVE_STATES = ["starting", "ready"];

export function createStartBudget(db: Database, limits: BudgetLimits, rate: RateLimiter): StartBudget {
  // One reservation at a time on this node: reading the live sessions and recording the new one must not interleave.
  let queue: Promise<unknown> = Promise.resolve();

  async function reserveNow(request: StartRequest): Promise<ReservedStart> {
    const now = Date.now();
    const verdict = rate.take(request.address, now);
    if (!verdict.allowed) {
      const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
      throw new HttpError(`Too many sandboxes were started from your address in the last minute. Try again in ${seconds} s.`, 429, {
        "retry-after": String(seconds),
      });
    }
    const recorded = await db.session.findMany({
      where: { state: { in: LIVE_STATES } },
      select: {
        id: true,
        visitorId: true,
        lessonId: true,
        state: true,
        createdAt: true,
        expiresAt: true,
        activeAt: true,
        sandboxId: true,
        agentUrl: true,
      },
    });
    const live = recorded.filter((session) => isLive(session, now, limits.idleMs));
    const over = recorded.filter((session) => !live.includes(session)).map((session) => session.id);
    const decision = decideStart(request, live, limits, now);
    if (!decision.allowed) {
      await markGone(over);
      throw new HttpError(decision.message, decision.status, { "retry-after": String(decision.retryAfterSeconds) });
    }
    await markGone([...over, ...decision.replaces.map((session) => session.id)]);
    const sessionId = `ses_${randomBytes(12).toString("hex")}`;
    await db.session.create({
      data: { id: sessionId, visitorId: request.visitorId, lessonId: request.lessonId, agentUrl: request.agentUrl, state: "starting" },
    });
    return { sessionId, replaced: decision.replaces };
  }

  /** Sessions past their time or idle limit are gone on their agent already; the record catches up. */
  async function markGone(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await db.session.updateMany({ where: { id: { in: ids }, state: { in: LIVE_STATES } }, data: { state: "gone", endedAt: new Date() } });
  }

  return {
    reserve(request) {
      const reserved = queue.then(() => reserveNow(request));
      queue = reserved.catch(() => undefined);
      return reserved;
    },
  };
}
