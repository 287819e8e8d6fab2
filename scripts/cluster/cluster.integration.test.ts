/**
 * The whole one-machine cluster as startCluster brings it up: PostgreSQL,
 * Redis, two real web nodes (the production build) behind real HAProxy, three real
 * agents as separate fleets on this host's Docker engine. Services die by
 * SIGKILL and come back by name; stop() leaves no process, port, sandbox or
 * folder behind.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { mintToken } from "@drydock/server-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandboxThroughApi } from "../../apps/sandbox-agent/src/testing/agent-api";
import { fleetSandboxes, waitUntil } from "../lib/drydock-server";
import { portAnswers } from "../lib/port-probe";
import { clusterLayout } from "./layout";
import { ROOT } from "./node-processes";
import { type RunningCluster, startCluster } from "./start-cluster";
import { groupAlive } from "./supervised-process";

const BASE_PORT = 5650;
const FLEET_PREFIX = `cl-${randomBytes(3).toString("hex")}`;
const layout = clusterLayout({ basePort: BASE_PORT, webNodes: 2, agents: 3, fleetPrefix: FLEET_PREFIX });

let cluster: RunningCluster;
let stopped = false;

beforeAll(async () => {
  cluster = await startCluster({
    basePort: BASE_PORT,
    webNodes: 2,
    agents: 3,
    fleetPrefix: FLEET_PREFIX,
    // Each agent its own environment: only a1 keeps a warm sandbox.
    agentEnv: (agent) => ({ POOL_SIZE: agent === "a1" ? "1" : "0" }),
  });
}, 300_000);

afterAll(async () => {
  if (cluster && !stopped) await cluster.stop();
});

const ok = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
    async (response) => {
      await response.body?.cancel();
      return response.ok;
    },
    () => false,
  );
const waitForStates = (wanted: Record<string, string>) =>
  waitUntil(`the balancer sees ${JSON.stringify(wanted)}`, async () => {
    const now = await cluster.balancerStates();
    return Object.entries(wanted).every(([name, state]) => now[name] === state);
  });

describe("the one-machine cluster", () => {
  it("runs every service as a process of its own on its own port", async () => {
    const services = cluster.services();
    expect(services.map((s) => s.name).sort()).toEqual(["a1", "a2", "a3", "balancer", "postgres", "redis", "web1", "web2"]);
    for (const service of services) expect(groupAlive(service.pid as number), service.name).toBe(true);
    expect(cluster.balancerUrl).toBe(`http://127.0.0.1:${layout.balancer.port}`);
    expect(cluster.fleets).toEqual([`${FLEET_PREFIX}-a1`, `${FLEET_PREFIX}-a2`, `${FLEET_PREFIX}-a3`]);
    for (const agent of layout.agents) expect(await ok(`http://127.0.0.1:${agent.port}/healthz`), agent.name).toBe(true);
    // Each web node's metrics, on a port of its own: its event loop's delay is what the benchmark reads.
    for (const node of layout.webNodes) {
      const service = cluster.service(node.name);
      expect(service.metricsUrl).toBe(`http://127.0.0.1:${node.metricsPort}/metrics`);
      const metrics = await fetch(service.metricsUrl as string);
      expect(metrics.status, node.name).toBe(200);
      expect(await metrics.text()).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
    }
    // What `npm run cluster -- stop` reads to stop it from elsewhere.
    const record = JSON.parse(await readFile(join(cluster.stateDir, "cluster.json"), "utf8"));
    expect(record.fleets).toEqual(cluster.fleets);
    expect(record.services.map((s: { pid: number }) => s.pid).sort()).toEqual(services.map((s) => s.pid).sort());
  });

  it("serves the web app through the balancer from both web nodes", async () => {
    await waitForStates({ web1: "UP", web2: "UP" });
    const page = await fetch(cluster.balancerUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Drydock");
  });

  it("takes a web node killed with SIGKILL out of the balancer, keeps serving through the other, and restarts it", async () => {
    const pid = cluster.service("web1").pid as number;
    await cluster.kill("web1", "SIGKILL");
    expect(groupAlive(pid)).toBe(false);
    expect(cluster.service("web1").pid).toBeUndefined();
    await waitForStates({ web1: "DOWN", web2: "UP" });
    for (let i = 0; i < 4; i++) expect(await ok(cluster.balancerUrl)).toBe(true);

    await cluster.restart("web1");
    expect(cluster.service("web1").pid).not.toBe(pid);
    await waitForStates({ web1: "UP", web2: "UP" });
  });

  it("restarts an agent killed with SIGKILL on its port", async () => {
    const agentUrl = cluster.service("a2").url;
    await cluster.kill("a2", "SIGKILL");
    expect(await ok(`${agentUrl}/healthz`)).toBe(false);
    await cluster.restart("a2");
    expect(await ok(`${agentUrl}/healthz`)).toBe(true);
  });

  it("stops every process it started, frees every port and removes its agents' sandboxes and its folder", async () => {
    // Real sandboxes in two agents' fleets (one started for a learner, one warm in a pool), for stop() to remove.
    const secret = (await readFile(join(ROOT, ".drydock/agent-secret"), "utf8")).trim();
    const headers = async () => ({
      authorization: `Bearer ${await mintToken(secret, { sub: "*", rights: "manage" }, 30)}`,
      "content-type": "application/json",
    });
    await createSandboxThroughApi(cluster.service("a3").url, "cl-learner", headers, 120_000);
    expect(await fleetSandboxes(`${FLEET_PREFIX}-a3`)).toHaveLength(1);
    await waitUntil("a1's warm pool holds a sandbox", async () => (await fleetSandboxes(`${FLEET_PREFIX}-a1`)).length === 1);
    expect(await fleetSandboxes(`${FLEET_PREFIX}-a2`)).toEqual([]);

    const pids = cluster.services().map((service) => service.pid as number);
    const stateDir = cluster.stateDir;
    stopped = true;
    await cluster.stop();
    for (const pid of pids) expect(groupAlive(pid)).toBe(false);
    for (const port of layout.ports) expect(await portAnswers(port), `port ${port}`).toBe(false);
    for (const fleet of cluster.fleets) expect(await fleetSandboxes(fleet), fleet).toEqual([]);
    expect(existsSync(stateDir)).toBe(false);
  });
});
