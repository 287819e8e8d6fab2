import { type BudgetSession, firstEndAt, minutesUntil } from "./live-sessions";

export interface BudgetLimits {
  /** Live sandboxes one visitor may hold at once (one per lesson). */
  perVisitor: number;
  /** Live sandboxes the deployment may hold. */
  capacity: number;
  /** The agents' idle limit, to tell when a session ends. */
  idleMs: number;
}

/** Allowed: the visitor's live sessions of the same lesson end, the new one takes their place. */
export type StartDecision<S extends BudgetSession = BudgetSession> = { allowed: true; replaces: S[] } | BudgetRefusal;

export interface BudgetRefusal {
  allowed: false;
  status: 429 | 503;
  message: string;
  retryAfterSeconds: number;
  /** When a place frees up (ms since the epoch), as estimated. */
  freesAt: number;
}

const minutesText = (minutes: number) => `about ${minutes} minute${minutes === 1 ? "" : "s"}`;

/** The deployment is full: an honest answer with the estimate. */
export function fullRefusal(freesAt: number, now: number, idleMs: number): BudgetRefusal {
  const minutes = minutesUntil(freesAt, now, idleMs);
  return {
    allowed: false,
    status: 503,
    message: `Drydock is full — a sandbox frees up in ${minutesText(minutes)}. Try again then.`,
    retryAfterSeconds: minutes * 60,
    freesAt,
  };
}

/**
 * Whether a visitor may start a sandbox for a lesson (null: the playground),
 * given every live session of the deployment. Pure: the caller reads the
 * sessions and records the start in one step, so two starts cannot both take
 * the last place.
 */
export function decideStart<S extends BudgetSession>(
  request: { visitorId: string; lessonId: string | null; workshopId: string | null },
  live: S[],
  limits: BudgetLimits,
  now: number,
): StartDecision<S> {
  const replaces = live.filter((session) => session.visitorId === request.visitorId && session.lessonId === request.lessonId);
  const visitorsOthers = live.filter((session) => session.visitorId === request.visitorId && session.lessonId !== request.lessonId);
  if (visitorsOthers.length >= limits.perVisitor) {
    const freesAt = firstEndAt(visitorsOthers, limits.idleMs);
    const minutes = minutesUntil(freesAt, now, limits.idleMs);
    return {
      allowed: false,
      status: 429,
      message:
        `This browser already has ${visitorsOthers.length} sandboxes running (for other lessons or the playground), ` +
        `the most one browser may hold at once. Go on in one of them, or try again in ${minutesText(minutes)}, when the first ends.`,
      retryAfterSeconds: minutes * 60,
      freesAt,
    };
  }
  if (request.workshopId) return { allowed: true, replaces };
  const others = live.filter((session) => !replaces.includes(session) && !session.workshopId);
  if (others.length >= limits.capacity) return fullRefusal(firstEndAt(others, limits.idleMs), now, limits.idleMs);
  return { allowed: true, replaces };
}
