import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DATA_DISKS_DIR, mountsUnder, removeFleet } from "@drydock/engine";
import Docker from "dockerode";
import { afterAll, describe, expect, it } from "vitest";
import { type AgentProcess, agentIdentity, freePort, startAgentProcess, until } from "../apps/sandbox-agent/src/testing/agent-process";

const docker = new Docker();
const identity = agentIdentity("stop");
let agent: AgentProcess | undefined;
let stateDir: string | undefined;

afterAll(async () => {
  agent?.child.kill("SIGKILL");
  await removeFleet(identity.fleet);
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

/** Runs `npm run stop` as an operator would, for this test's fleet and state folder. */
function npmRunStop(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "--silent", "stop"], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => resolve({ code, output }));
  });
}

/** Everything of these sandboxes on the host: containers, volumes (data and assignment), disk files, mount points, mounts. */
async function leftovers(fleet: string, sandboxIds: string[]): Promise<string[]> {
  const [containers, { Volumes }, networks, mounts] = await Promise.all([
    docker.listContainers({ all: true, filters: { label: [`io.drydock.fleet=${fleet}`] } }),
    docker.listVolumes({ filters: { label: ["io.drydock.managed=true"] } }),
    docker.listNetworks({ filters: { label: [`io.drydock.fleet=${fleet}`] } }),
    readFile("/proc/mounts", "utf8").then((table) => mountsUnder(table, DATA_DISKS_DIR)),
  ]);
  const ours = (id: string | undefined) => id !== undefined && sandboxIds.includes(id);
  return [
    ...containers.map((c) => `container ${c.Names[0]}`),
    ...(Volumes ?? []).filter((v) => ours(v.Labels?.["io.drydock.sandbox-id"])).map((v) => `volume ${v.Name}`),
    ...networks.map((n) => `network ${n.Name}`),
    ...mounts.filter(ours).map((id) => `mount ${id}`),
    ...sandboxIds.flatMap((id) =>
      [`${id}.ext4`, id].filter((name) => existsSync(join(DATA_DISKS_DIR, name))).map((name) => `disk ${name}`),
    ),
  ];
}

describe("npm run stop", () => {
  it("stops the agent and leaves no container, volume, network, disk file or mount of its fleet", async () => {
    stateDir = await mkdtemp(join(tmpdir(), "drydock-stop-"));
    // A deployment as `npm start` runs it: sandboxes on their own data disks, a warm pool.
    agent = await startAgentProcess(identity, await freePort(), { POOL_SIZE: "1", SANDBOX_DISK_MIB: "256" });
    await writeFile(join(stateDir, "serve.pids"), `${agent.child.pid}\n`);
    const owned = [await agent.createSandbox("learner-stop-1"), await agent.createSandbox("learner-stop-2")];
    const health = async () => ((await (await fetch(`${agent?.url}/healthz`)).json()) as { pooled: number }).pooled;
    await until(async () => (await health()) === 1, "the warm pool to fill");
    const containers = await docker.listContainers({ all: true, filters: { label: [`io.drydock.fleet=${identity.fleet}`] } });
    const sandboxIds = containers.map((c) => c.Labels["io.drydock.sandbox-id"] ?? "");
    expect(sandboxIds).toHaveLength(3);
    expect(sandboxIds).toEqual(expect.arrayContaining(owned));
    // What there is to leak: each sandbox's mounted disk, its volumes (the owned ones' assignments).
    const before = await leftovers(identity.fleet, sandboxIds);
    expect(before.filter((thing) => thing.startsWith("mount "))).toHaveLength(3);
    expect(before.filter((thing) => thing.startsWith("volume "))).toHaveLength(2);

    const exited = new Promise((resolve) => agent?.child.once("exit", resolve));
    const stop = await npmRunStop({ AGENT_FLEET: identity.fleet, DRYDOCK_STATE_DIR: stateDir });
    expect(stop.code, stop.output).toBe(0);
    await exited;
    expect(stop.output).toContain("stopped the agent");
    expect(stop.output).toContain(`removed 3 sandbox(es) of fleet "${identity.fleet}"`);
    for (const id of sandboxIds) expect(stop.output).toContain(id);
    expect(await leftovers(identity.fleet, sandboxIds)).toEqual([]);
  });
});
