import { AgentClient } from "./agent-client";

/** A client for the agent a session names (placement, in agent-placement.ts, chooses the agent of a new one). */
export interface Agents {
  at(url: string): AgentClient;
}

export function agentDirectory(config: { DRYDOCK_AGENT_SECRET: string }): Agents {
  return { at: (url) => new AgentClient(url, config.DRYDOCK_AGENT_SECRET) };
}
