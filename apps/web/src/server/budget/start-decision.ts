import { type BudgetSession, minutesUntilOneFrees } from "./live-sessions";

export interface BudgetLimits {
  /** Live sandboxes one visitor may hold at once (one per lesson). */
  perVisitor: number;
  /** Live sandboxes the deployment may hold. */
  capacity: number;
  /** The agents' idle limit, to tell when a session ends. */
  idleMs: number;
}

export type StartDecision<S extends BudgetSession = BudgetSession> =
  /** Allowed; the visitor's live sessions of the same lesson end, the new one takes their place. */
  { allowed: true; replaces: S[] } | { allowed: false; status: 429 | 503; message: string; retryAfterSeconds: number };

/**
 * Whether a visitor may start a sandbox for a lesson (null: the playground),
 * given every live session of the deployment. Pure: the caller reads the
 * sessions and records the start in one step, so two starts cannot both take
 * the last place.
 */
export function decideStart<S extends BudgetSession>(
  request: { visitorId: string; lessonId: string | null },
  live: S[],
  limits: BudgetLimits,
  now: number,
): StartDecision<S> {
  const replaces = live.filter((session) => session.visitorId === request.visitorId && session.lessonId === request.lessonId);
  const visitorsOthers = live.filter((session) => session.visitorId === request.visitorId && session.lessonId !== request.lessonId);
  if (visitorsOthers.length >= limits.perVisitor) {
    const minutes = minutesUntilOneFrees(visitorsOthers, now, limits.idleMs);
    return {
      allowed: false,
      status: 429,
      message:
        `This browser already has ${visitorsOthers.length} sandboxes running (for other lessons or the playground), ` +
        `the most one browser may hold at once. Go on in one of them, or try again in about ${minutes} minute${minutes === 1 ? "" : "s"}, when the first ends.`,
      retryAfterSeconds: minutes * 60,
    };
  }
  const others = live.filter((session) => !replaces.includes(session));
  if (others.length >= limits.capacity) {
    const minutes = minutesUntilOneFrees(others, now, limits.idleMs);
    return {
      allowed: false,
      status: 503,
      message: `Drydock is full — a sandbox frees up in about ${minutes} minute${minutes === 1 ? "" : "s"}. Try again then.`,
      retryAfterSeconds: minutes * 60,
    };
  }
  return { allowed: true, replaces };
}
