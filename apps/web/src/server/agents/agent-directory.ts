import { tunneledAgentId } from "@drydock/protocol";
import { AgentClient } from "./agent-client";
import type { AgentRoute } from "./agent-route";
import type { AgentTunnels } from "./agent-tunnels";

/** Reaches the agent a session names (placement, in agent-placement.ts, chooses the agent of a new one). */
export interface Agents {
  at(agentUrl: string): AgentClient;
  route(agentUrl: string): AgentRoute;
  tunnels: AgentTunnels;
}

export function agentDirectory(config: { DRYDOCK_AGENT_SECRET: string }, tunnels: AgentTunnels): Agents {
  const route = (agentUrl: string): AgentRoute => {
    const agentId = tunneledAgentId(agentUrl);
    // The host is never looked up: the tunnel's transport makes the connection.
    return agentId ? { url: `http://${agentId}.tunnel`, agent: tunnels.transport(agentId) } : { url: agentUrl };
  };
  return {
    at: (agentUrl) => new AgentClient(agentUrl, config.DRYDOCK_AGENT_SECRET, route(agentUrl)),
    route,
    tunnels,
  };
}
