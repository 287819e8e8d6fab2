import type { Logger } from "@drydock/server-kit";
import type { Database } from "../db";

/** The record of activity needs only minute precision: it estimates when an idle sandbox frees its place. */
const RECORD_EVERY_MS = 60_000;

/**
 * A function the gateways call on each act of the learner (a keystroke, a
 * save, a check): it records the session's last activity at most once a minute.
 */
export function activityRecorder(db: Database, sessionId: string, log: Logger): () => void {
  let recordedAt = 0;
  return () => {
    const now = Date.now();
    if (now - recordedAt < RECORD_EVERY_MS) return;
    recordedAt = now;
    db.session
      .update({ where: { id: sessionId }, data: { activeAt: new Date(now) } })
      .catch((error: unknown) => log.warn("session.activity_not_recorded", { sessionId, error }));
  };
}
