import type { WebContext } from "../context";
import { reserveSession, startSession } from "../learners/sessions";
import type { SessionStarter } from "./room-control";

/** Starts sandboxes for seats and the presenter the way a learner's Start does: the same budget, files restored. */
export function sessionStarter(ctx: WebContext): SessionStarter {
  return {
    async start(visitorId, lessonId) {
      await startSession(ctx, await reserveSession(ctx, { visitorId, lessonId }));
    },
  };
}
