/**
 * An agent with no inbound port dials each web node here (an HTTP Upgrade with
 * `Authorization: Bearer <its credential>`); the connection then carries HTTP/2,
 * the web node asking and the agent answering, each CONNECT stream one
 * connection to the agent's own API and sockets.
 */
export const AGENT_TUNNEL_PATH = "/api/agents/tunnel";
export const AGENT_TUNNEL_UPGRADE = "drydock-agent-tunnel";

/** Both ends ping every 3 s and drop a tunnel silent for 6 s: well before the agent is marked down (12 s). */
export const AGENT_TUNNEL_LIVENESS = { intervalMs: 3_000, timeoutMs: 6_000 };

/**
 * Both ends' HTTP/2 session: each connection a web node has to the agent is a
 * stream (a learner's terminal, channel, preview), so streams are not capped
 * near HTTP/2's customary 100 and memory per tunnel is bounded instead; a
 * window of 1 MiB per stream keeps terminal output from waiting on a file transfer.
 */
export const AGENT_TUNNEL_SESSION = { maxConcurrentStreams: 10_000, windowBytes: 1 << 20, maxSessionMemoryMiB: 64 };

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
