/**
 * A cluster that cannot start says why and leaves nothing running: here a
 * web node refuses its configuration after PostgreSQL, Redis and the migrations are
 * done, so Redis and PostgreSQL must be stopped again.
 */
import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { portAnswers } from "../lib/port-probe";
import { clusterLayout } from "./layout";
import { startCluster } from "./start-cluster";

const BASE_PORT = 5675;

const clusterFolders = async () => (await readdir(tmpdir())).filter((name) => name.startsWith("drydock-cluster-"));

describe("a cluster that cannot start", () => {
  it("rejects with the failing node's own message and stops what had started", async () => {
    const before = await clusterFolders();
    const layout = clusterLayout({ basePort: BASE_PORT, webNodes: 1, agents: 1, fleetPrefix: "cl-failed" });
    const events: string[] = [];
    const starting = startCluster({
      basePort: BASE_PORT,
      webNodes: 1,
      agents: 1,
      fleetPrefix: "cl-failed",
      webEnv: { DRYDOCK_AGENT_SECRET: "too-short" },
      log: (event) => events.push(event),
    });
    await expect(starting).rejects.toThrow(
      /web1 exited \(1\) before it was ready[\s\S]*DRYDOCK_AGENT_SECRET: must be at least 32 characters/,
    );
    expect(events).toContain("cluster.migrated");
    expect(events).toContain("cluster.stopped");
    for (const port of layout.ports) expect(await portAnswers(port), `port ${port}`).toBe(false);
    expect(await clusterFolders()).toEqual(before);
  });
});
