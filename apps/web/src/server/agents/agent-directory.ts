import { AgentClient } from "./agent-client";

/** Where sandboxes live: the agent that hosts new ones, and a client for the agent an existing session names. */
export interface Agents {
  forNewSandbox(): AgentClient;
  at(url: string): AgentClient;
}

/** One agent for new sandboxes for now; choosing among several machines belongs here. */
export function agentDirectory(config: { AGENT_URL: string; DRYDOCK_AGENT_SECRET: string }): Agents {
  return {
    forNewSandbox: () => new AgentClient(config.AGENT_URL, config.DRYDOCK_AGENT_SECRET),
    at: (url) => new AgentClient(url, config.DRYDOCK_AGENT_SECRET),
  };
}
