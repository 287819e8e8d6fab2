import type { WebContext } from "../context";
import { reserveSession, startSession } from "../learners/sessions";

/** What the room's actions start sandboxes through (seats, the presenter, preparations). */
export interface SessionStarter {
  /** Starts (or restarts, replacing the live one) the visitor's sandbox for a lesson, the workspace restored. */
  start(visitorId: string, lessonId: string | null): Promise<void>;
}

/** Starts sandboxes for seats and the presenter the way a learner's Start does: the same budget, files restored. */
export function sessionStarter(ctx: WebContext): SessionStarter {
  return {
    async start(visitorId, lessonId) {
      await startSession(ctx, await reserveSession(ctx, { visitorId, lessonId }));
    },
  };
}
