import { describe, expect, it } from "vitest";
import { clusterLayout } from "./layout";

describe("clusterLayout", () => {
  it("puts the balancer on the base port, then the web nodes, the agents, PostgreSQL, Redis and the web nodes' metrics", () => {
    const layout = clusterLayout({ basePort: 3100, webNodes: 2, agents: 3, fleetPrefix: "cluster" });
    expect(layout.balancer.port).toBe(3100);
    expect(layout.webNodes).toEqual([
      { name: "web1", port: 3101, metricsPort: 3108 },
      { name: "web2", port: 3102, metricsPort: 3109 },
    ]);
    expect(layout.agents).toEqual([
      { name: "a1", port: 3103, fleet: "cluster-a1" },
      { name: "a2", port: 3104, fleet: "cluster-a2" },
      { name: "a3", port: 3105, fleet: "cluster-a3" },
    ]);
    expect(layout.postgres.port).toBe(3106);
    expect(layout.redis.port).toBe(3107);
    expect(layout.ports).toEqual([3100, 3101, 3102, 3103, 3104, 3105, 3106, 3107, 3108, 3109]);
  });

  it("gives every service a port of its own whatever the shape", () => {
    const layout = clusterLayout({ basePort: 5000, webNodes: 4, agents: 1, fleetPrefix: "cl-x" });
    const taken = [
      layout.balancer.port,
      ...layout.webNodes.flatMap((n) => [n.port, n.metricsPort]),
      ...layout.agents.map((a) => a.port),
      layout.postgres.port,
      layout.redis.port,
    ];
    expect(new Set(taken).size).toBe(taken.length);
    expect(taken.sort()).toEqual(layout.ports);
  });

  it("refuses shapes it cannot lay out, saying what is allowed", () => {
    expect(() => clusterLayout({ basePort: 80, webNodes: 2, agents: 3, fleetPrefix: "c" })).toThrow(/between 1024 and 65535/);
    expect(() => clusterLayout({ basePort: 65530, webNodes: 2, agents: 3, fleetPrefix: "c" })).toThrow(/65530…65539/);
    expect(() => clusterLayout({ basePort: 3100, webNodes: 0, agents: 3, fleetPrefix: "c" })).toThrow(/1 to 9 web nodes/);
    expect(() => clusterLayout({ basePort: 3100, webNodes: 2, agents: 10, fleetPrefix: "c" })).toThrow(/1 to 9 agents/);
    expect(() => clusterLayout({ basePort: 3100, webNodes: 2, agents: 3, fleetPrefix: "Cluster_A" })).toThrow(/lowercase/);
  });
});
