/**
 * Where each service of the one-machine cluster listens and what it is
 * called, from one base port: the balancer on the base port, then the web
 * nodes, the agents, PostgreSQL and Redis on the ports after it.
 *
 *   base 3500, 2 web nodes, 3 agents: balancer 3500, web1 3501, web2 3502,
 *   a1 3503, a2 3504, a3 3505, postgres 3506, redis 3507, and the web nodes'
 *   metrics listeners web1 3508, web2 3509
 */

export interface ClusterShape {
  basePort: number;
  webNodes: number;
  agents: number;
  /** Agents' fleets are `<fleetPrefix>-a1`…; `npm run cluster` uses "cluster". */
  fleetPrefix: string;
}

export interface ClusterLayout {
  balancer: { port: number };
  /** `metricsPort`: the node's Prometheus metrics (WEB_METRICS_PORT), apart from the learners' port. */
  webNodes: { name: string; port: number; metricsPort: number }[];
  agents: { name: string; port: number; fleet: string }[];
  postgres: { port: number };
  redis: { port: number };
  /** Every port the cluster takes, in order. */
  ports: number[];
}

const FLEET_PREFIX = /^[a-z0-9-]{1,30}$/;
export const MAX_WEB_NODES = 9;
export const MAX_AGENTS = 9;

export function clusterLayout(shape: ClusterShape): ClusterLayout {
  const { basePort, webNodes, agents, fleetPrefix } = shape;
  if (!Number.isInteger(webNodes) || webNodes < 1 || webNodes > MAX_WEB_NODES)
    throw new Error(`webNodes=${webNodes}: the cluster runs 1 to ${MAX_WEB_NODES} web nodes.`);
  if (!Number.isInteger(agents) || agents < 1 || agents > MAX_AGENTS)
    throw new Error(`agents=${agents}: the cluster runs 1 to ${MAX_AGENTS} agents.`);
  if (!FLEET_PREFIX.test(fleetPrefix))
    throw new Error(`fleetPrefix "${fleetPrefix}": lowercase letters, digits and dashes (at most 30), as agents' fleets take them.`);
  const last = basePort + 2 * webNodes + agents + 2;
  if (!Number.isInteger(basePort) || basePort < 1024 || last > 65535)
    throw new Error(`basePort=${basePort}: the cluster needs ports ${basePort}…${last}, all between 1024 and 65535.`);
  const at = (offset: number) => basePort + offset;
  const layout: ClusterLayout = {
    balancer: { port: at(0) },
    webNodes: Array.from({ length: webNodes }, (_, i) => ({
      name: `web${i + 1}`,
      port: at(1 + i),
      metricsPort: at(3 + webNodes + agents + i),
    })),
    agents: Array.from({ length: agents }, (_, i) => ({
      name: `a${i + 1}`,
      port: at(1 + webNodes + i),
      fleet: `${fleetPrefix}-a${i + 1}`,
    })),
    postgres: { port: at(1 + webNodes + agents) },
    redis: { port: at(2 + webNodes + agents) },
    ports: [],
  };
  layout.ports = Array.from({ length: last - basePort + 1 }, (_, i) => basePort + i);
  return layout;
}
