/**
 * An agent with no inbound port dials each web node here (an HTTP Upgrade with
 * `Authorization: Bearer <its credential>`); the connection then carries HTTP/2,
 * the web node asking and the agent answering, each CONNECT stream one
 * connection to the agent's own API and sockets.
 */
export const AGENT_TUNNEL_PATH = "/api/agents/tunnel";
export const AGENT_TUNNEL_UPGRADE = "drydock-agent-tunnel";

const TUNNEL_SCHEME = "tunnel:";

/** The address a tunneled agent is known by (its sessions' agentUrl): each web node reaches it through the tunnel it dialed. */
export function agentTunnelUrl(agentId: string): string {
  return `${TUNNEL_SCHEME}//${agentId}`;
}

/** The agent behind a tunnel address; undefined for an agent reached at its own URL. */
export function tunneledAgentId(agentUrl: string): string | undefined {
  if (!agentUrl.startsWith(`${TUNNEL_SCHEME}//`)) return undefined;
  return agentUrl.slice(TUNNEL_SCHEME.length + 2) || undefined;
}
