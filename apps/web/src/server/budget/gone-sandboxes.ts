import type { Logger } from "@drydock/server-kit";
import type { Agents } from "../agents/agent-directory";
import type { ReplacedSession } from "./start-budget";

/** Asks each session's agent about its sandbox, all at once; the ids of those it no longer has. */
export async function goneSandboxes(agents: Agents, sessions: ReplacedSession[], log: Logger): Promise<string[]> {
  const answers = await Promise.all(
    sessions.map(async (session) => {
      if (!session.sandboxId) return undefined;
      try {
        const sandbox = await agents.at(session.agentUrl).sandboxStatus(session.sandboxId);
        return sandbox.state === "gone" || sandbox.state === "failed" ? session.id : undefined;
      } catch (error) {
        log.warn("budget.agent_unreachable", { sessionId: session.id, agentUrl: session.agentUrl, error });
        return undefined;
      }
    }),
  );
  return answers.filter((id): id is string => id !== undefined);
}
