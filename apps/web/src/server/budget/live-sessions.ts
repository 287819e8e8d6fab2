/** What the start budget knows of a session that holds, or may hold, a sandbox. */
export interface BudgetSession {
  id: string;
  visitorId: string;
  lessonId: string | null;
  state: string;
  createdAt: Date;
  expiresAt: Date | null;
  activeAt: Date | null;
}

/** A start that never reached ready within this long (e.g. the web app restarted midway) no longer holds a place. */
export const STALLED_START_MS = 5 * 60_000;

/** When the session's sandbox is removed at the latest: its time limit, or its idle limit since the last activity. */
export function sessionEndsAt(session: BudgetSession, idleMs: number): number {
  const idleEnd = (session.activeAt ?? session.createdAt).getTime() + idleMs;
  const timeEnd = session.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const stallEnd = session.state === "starting" ? session.createdAt.getTime() + STALLED_START_MS : Number.POSITIVE_INFINITY;
  return Math.min(idleEnd, timeEnd, stallEnd);
}

export function isLive(session: BudgetSession, now: number, idleMs: number): boolean {
  return (session.state === "starting" || session.state === "ready") && sessionEndsAt(session, idleMs) > now;
}

/**
 * Whole minutes until the first of these sessions frees its sandbox (at least
 * one): what "Drydock is full — a sandbox frees up in about N minutes" says.
 */
export function minutesUntilOneFrees(sessions: BudgetSession[], now: number, idleMs: number): number {
  const first = Math.min(...sessions.map((session) => sessionEndsAt(session, idleMs)));
  if (!Number.isFinite(first)) return Math.ceil(idleMs / 60_000);
  return Math.max(1, Math.ceil((first - now) / 60_000));
}
