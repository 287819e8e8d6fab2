import { AGENT_DOWN_AFTER_MS, type SandboxStatus } from "@drydock/protocol";
import type { WebContext } from "../context";
import type { OwnedSandbox } from "./session-owner";

/** How often a page whose agent fell silent has its session looked up. */
const POLL_MS = 1_000;
/** Past this, an agent that only dropped its connection (a restart) is not waited for any longer. */
const GIVE_UP_MS = 3 * AGENT_DOWN_AFTER_MS;

/**
 * When the gateway's own connection to the agent drops: the web node that
 * holds the browser's socket is not necessarily the one whose sweep marks the
 * agent down, so it follows the session's record (any node may write it) and,
 * once the session has ended, tells the page why (a "gone" status with the
 * recorded reason, e.g. "your machine went away"). Resolves to whether it did.
 */
export async function reportLostSandbox(
  ctx: WebContext,
  owned: OwnedSandbox,
  send: (status: SandboxStatus) => void,
  stillOpen: () => boolean,
): Promise<boolean> {
  const deadline = Date.now() + GIVE_UP_MS;
  while (stillOpen() && Date.now() < deadline) {
    const session = await ctx.db.session.findUnique({ where: { id: owned.sessionId }, select: { state: true, failure: true } });
    if (!session || session.state === "gone" || session.state === "failed") {
      send({
        sandboxId: owned.sandboxId,
        state: "gone",
        percent: 0,
        message: session?.failure ?? "Your sandbox is gone. Start again for a new one; your saved files come with you.",
      });
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return false;
}
