import type { Agent as HttpAgent } from "node:http";

/**
 * How this web node connects to an agent: at the agent's own URL, or (an agent
 * with no inbound port) through the tunnel it dialed to this node, `agent`
 * then making every connection. Pass `agent` to http requests and socket.io clients.
 */
export interface AgentRoute {
  url: string;
  agent?: HttpAgent;
}

/**
 * socket.io-client's options for a route. engine.io-client hands `agent` to
 * ws, which makes its connection with it; its typings know `agent` only as a
 * browser's string or boolean, hence the cast.
 */
export function socketTransport(route: AgentRoute): { agent?: string } {
  return route.agent ? { agent: route.agent as unknown as string } : {};
}
