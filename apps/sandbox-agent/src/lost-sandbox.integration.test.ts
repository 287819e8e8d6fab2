import { existsSync } from "node:fs";
import { join } from "node:path";
import { DATA_DISKS_DIR } from "@drydock/engine";
import { AGENT_API, SANDBOX_NAMESPACE, type SandboxStatus } from "@drydock/protocol";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentHarness, startAgentHarness } from "./testing/agent-harness";
import { until } from "./testing/agent-process";

const docker = new Docker();
let harness: AgentHarness;

beforeAll(async () => {
  harness = await startAgentHarness({ poolSize: 1 });
});

afterAll(async () => {
  await harness.close();
});

/** What an operator or a crash does: the sandbox's container removed from under it. */
async function removeContainerOf(sandboxId: string): Promise<void> {
  const [info] = await docker.listContainers({ all: true, filters: { label: [`io.drydock.sandbox-id=${sandboxId}`] } });
  if (!info) throw new Error(`no container for ${sandboxId}`);
  await docker.getContainer(info.Id).remove({ force: true });
}

async function remnantsOf(sandboxId: string): Promise<string[]> {
  const { Volumes } = await docker.listVolumes({ filters: { label: [`io.drydock.sandbox-id=${sandboxId}`] } });
  const disks = [`${sandboxId}.ext4`, sandboxId].filter((name) => existsSync(join(DATA_DISKS_DIR, name)));
  return [...(Volumes ?? []).map((volume) => volume.Name), ...disks];
}

describe("a sandbox whose container dies", () => {
  it("is reported lost on its channel within moments, stays reported to late askers, and leaves nothing behind", async () => {
    const sandboxId = await harness.createSandbox("learner-lost");
    const channel = harness.connect(SANDBOX_NAMESPACE, { sandboxId, token: harness.token(sandboxId, "read") });
    const statuses: SandboxStatus[] = [];
    channel.on("sandbox:status", (status: SandboxStatus) => statuses.push(status));
    await until(() => statuses.at(-1)?.state === "ready", "the current status");
    expect(await remnantsOf(sandboxId)).not.toEqual([]);

    await removeContainerOf(sandboxId);
    // Far sooner than the sweep (an hour in the harness): from Docker's events.
    await until(() => statuses.at(-1)?.state === "gone", "the lost status", 30_000);
    expect(statuses.at(-1)?.message).toMatch(/lost/);
    const asked = await fetch(`${harness.agent.url}${AGENT_API.sandbox(sandboxId)}`, { headers: await harness.manageHeaders() });
    expect(await asked.json()).toMatchObject({ id: sandboxId, state: "gone", message: expect.stringMatching(/lost/) });
    await until(async () => (await remnantsOf(sandboxId)).length === 0, "its disk and volumes to be removed", 30_000);
  });

  it("leaves the warm pool when it was pooled, and the pool refills", async () => {
    const { fleet } = harness.agent;
    await until(() => fleet.pooled.length === 1, "the pool to fill");
    const pooled = fleet.pooled[0] ?? "";
    await removeContainerOf(pooled);
    await until(() => fleet.pooled.length === 1 && fleet.pooled[0] !== pooled, "the pool to refill with a new sandbox");
    await until(async () => (await remnantsOf(pooled)).length === 0, "the lost pooled sandbox's disk to be removed", 30_000);
  });
});
