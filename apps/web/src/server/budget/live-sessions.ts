/** What the start budget knows of a session that holds, or may hold, a sandbox. */
export interface BudgetSession {
  id: string;
  visitorId: string;
  lessonId: string | null;
  state: string;
  createdAt: Date;
  expiresAt: Date | null;
  activeAt: Date | null;
  /** A workshop seat's session: the workshop's capacity bounds it, not the deployment's anonymous one. */
  workshopId: string | null;
}

/** A start that never reached ready within this long (e.g. the web app restarted midway) no longer holds a place. */
export const STALLED_START_MS = 5 * 60_000;

/**
 * When the session's sandbox is removed at the latest: its time limit, or its
 * idle limit since the last activity. A workshop seat has neither: it lasts
 * until its workshop ends (which may move: extended, paused), and the
 * workshop's end removes it.
 */
export function sessionEndsAt(session: BudgetSession, idleMs: number): number {
  const stallEnd = session.state === "starting" ? session.createdAt.getTime() + STALLED_START_MS : Number.POSITIVE_INFINITY;
  if (session.workshopId) return stallEnd;
  const idleEnd = (session.activeAt ?? session.createdAt).getTime() + idleMs;
  const timeEnd = session.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  return Math.min(idleEnd, timeEnd, stallEnd);
}

export function isLive(session: BudgetSession, now: number, idleMs: number): boolean {
  return (session.state === "starting" || session.state === "ready") && sessionEndsAt(session, idleMs) > now;
}

/**
 * How long past its estimated end a session is still left "ready" in the
 * record. The estimate may be early (activity is recorded once a minute, and
 * an agent also counts preview traffic): a session recorded as gone can no
 * longer be attached to, so only one surely over is recorded so.
 */
export const RECORDED_GONE_AFTER_MS = 10 * 60_000;

export function isSurelyOver(session: BudgetSession, now: number, idleMs: number): boolean {
  return sessionEndsAt(session, idleMs) + RECORDED_GONE_AFTER_MS < now;
}

/** When the first of these sessions frees its sandbox (never, for none). */
export function firstEndAt(sessions: BudgetSession[], idleMs: number): number {
  return Math.min(...sessions.map((session) => sessionEndsAt(session, idleMs)));
}

/**
 * Whole minutes from now until `at` (at least one): what "Drydock is full — a
 * sandbox frees up in about N minutes" says. Without an end in sight (none
 * known), the idle limit is the honest guess.
 */
export function minutesUntil(at: number, now: number, idleMs: number): number {
  if (!Number.isFinite(at)) return Math.ceil(idleMs / 60_000);
  return Math.max(1, Math.ceil((at - now) / 60_000));
}
