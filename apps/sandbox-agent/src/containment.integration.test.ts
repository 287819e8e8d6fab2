import { statfs } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blocked, cgroupCounters, echoLatencies, hostAttempts, type NetworkTargets, networkTargets, p99 } from "./testing/abuse";
import { type AgentHarness, startAgentHarness } from "./testing/agent-harness";

/**
 * The escape-and-abuse suite (SECURITY.md): against rootless sandboxes of the
 * real engine, every attempt fails, and a neighbour's terminal stays
 * responsive while a sandbox bombs itself.
 */
const MEMORY = 512 * 1024 * 1024;
const DISK = 1024 * 1024 * 1024;
const PIDS = 512;
/** Keystroke echo p99 a learner still calls responsive. */
const RESPONSIVE_MS = 500;

let harness: AgentHarness;
let attacker: string;
let neighbour: string;
let network: NetworkTargets;

beforeAll(async () => {
  harness = await startAgentHarness({ isolation: "rootless", memoryBytes: MEMORY, pidsLimit: PIDS, diskBytes: DISK });
  [attacker, neighbour] = await Promise.all([harness.createSandbox("attacker"), harness.createSandbox("neighbour")]);
  network = await networkTargets(harness, neighbour);
  // The controls: from the host itself every target answers, so a block is the policy's doing.
  for (const [host, port] of network.controls) {
    expect((await fetch(`http://${host}:${port}/`, { signal: AbortSignal.timeout(3000) })).ok).toBe(true);
  }
}, 120_000);

afterAll(async () => {
  await network?.close();
  await harness?.close();
});

describe("a learner cannot escape a rootless sandbox", () => {
  it("is root inside, and the docker CLI works as usual", async () => {
    const result = await harness.driver.exec(attacker, ["bash", "-c", "id -u; docker info --format '{{.ServerVersion}}' 2>/dev/null"]);
    expect(result.stdout).toMatch(/^0\n\d+\.\d+/);
  });

  it.each(hostAttempts("vitest").map((attempt) => [attempt.name, attempt] as const))("cannot %s", async (_name, attempt) => {
    expect(await blocked(harness, attacker, attempt)).toBe(true);
  });

  it("cannot reach the agent, the host's services, another sandbox, metadata or private ranges", async () => {
    const outcomes = await Promise.all(
      network.attempts.map(async (target) => [target.name, await blocked(harness, attacker, target)] as const),
    );
    expect(outcomes.filter(([, wasBlocked]) => !wasBlocked).map(([name]) => name)).toEqual([]);
  });

  it("reaches the registry gateway (pulls work)", async () => {
    const result = await harness.driver.exec(attacker, ["docker", "pull", "-q", "debian:bookworm-slim"]);
    expect(result).toMatchObject({ exitCode: 0 });
  });
});

/** One charge batch of the kernel's memory controller (MEMCG_CHARGE_BATCH, 64 pages since Linux 6.1). */
const CGROUP_CHARGE_BATCH_BYTES = 64 * 4096;

describe("abuse stays inside the sandbox's limits", () => {
  async function bomb(script: string, seconds: number): Promise<number> {
    const during = harness.driver
      .exec(attacker, ["bash", "-c", `timeout -s KILL ${seconds} bash -c ${JSON.stringify(script)}; true`])
      .catch(() => {});
    return p99(await echoLatencies(harness, neighbour, during));
  }

  it("a fork bomb hits the pids limit; the neighbour's terminal stays responsive", async () => {
    const echo = await bomb("b(){ b|b& }; b", 8);
    const counters = await cgroupCounters(attacker);
    expect(counters.pidsMax).toBe(PIDS);
    expect(counters.pidsMaxEvents).toBeGreaterThan(0);
    expect(echo).toBeLessThan(RESPONSIVE_MS);
    // The bomb's survivors are killed with their sandbox.
    await harness.driver.destroy(attacker);
    attacker = await harness.createSandbox("attacker");
  }, 120_000);

  it("an inner container's memory bomb cannot exceed the sandbox's memory limit", async () => {
    await harness.driver.exec(attacker, ["docker", "pull", "-q", "debian:bookworm-slim"]);
    const echo = await bomb("docker run --rm debian:bookworm-slim sh -c 'tail /dev/zero'", 15);
    const counters = await cgroupCounters(attacker);
    expect(counters.memoryLimit).toBe(MEMORY);
    // The kernel may charge a few pages past the limit (allocations that must not fail are
    // forced through, and charges come in per-CPU batches): its high-water mark shows them.
    expect(counters.memoryMaxUsage).toBeLessThanOrEqual(MEMORY + CGROUP_CHARGE_BATCH_BYTES);
    expect(counters.memoryMaxUsage).toBeGreaterThan(MEMORY * 0.8);
    expect(echo).toBeLessThan(RESPONSIVE_MS);
  }, 120_000);

  it("filling the disk ends in 'no space left on device' inside, and the host loses no more than the sandbox's disk", async () => {
    const hostFreeBefore = (await statfs("/")).bavail * (await statfs("/")).bsize;
    const fill = await harness.driver.exec(attacker, [
      "bash",
      "-c",
      "dd if=/dev/zero of=/var/lib/docker/fill bs=1M count=2048 2>&1; df -B1 --output=size /var/lib/docker | tail -1",
    ]);
    expect(fill.stdout).toContain("No space left on device");
    // The workspace is on the same disk: it is full too, and /tmp is a small tmpfs.
    const workspace = await harness.driver.exec(attacker, [
      "bash",
      "-c",
      "dd if=/dev/zero of=/root/lab/fill bs=1M count=64 2>&1; dd if=/dev/zero of=/tmp/fill bs=1M count=512 2>&1; true",
    ]);
    expect(workspace.stdout.match(/No space left on device/g)?.length).toBe(2);
    const reportedSize = Number(fill.stdout.trim().split("\n").at(-1));
    expect(reportedSize).toBeLessThanOrEqual(DISK);
    const hostFreeAfter = (await statfs("/")).bavail * (await statfs("/")).bsize;
    expect(hostFreeBefore - hostFreeAfter).toBeLessThan(DISK * 1.1);
    // The neighbour still writes and runs containers.
    const neighbourWrite = await harness.driver.exec(neighbour, [
      "bash",
      "-c",
      "dd if=/dev/zero of=/root/lab/ok bs=1M count=8 2>/dev/null && rm /root/lab/ok && docker info >/dev/null && echo fine",
    ]);
    expect(neighbourWrite.stdout.trim()).toBe("fine");
    // And the full sandbox frees its space when removed.
    await harness.driver.destroy(attacker);
    const hostFreeReleased = (await statfs("/")).bavail * (await statfs("/")).bsize;
    expect(hostFreeReleased).toBeGreaterThan(hostFreeAfter + DISK * 0.5);
    attacker = await harness.createSandbox("attacker");
  }, 120_000);

  it("a CPU hog gets one CPU, not the host's", async () => {
    const before = await cgroupCounters(attacker);
    const started = performance.now();
    const echo = await bomb("for i in 1 2 3 4; do sh -c 'while :; do :; done' & done; wait", 8);
    const cpus = ((await cgroupCounters(attacker)).cpuUsageNs - before.cpuUsageNs) / 1e6 / (performance.now() - started);
    expect(cpus).toBeLessThan(1.15);
    expect(echo).toBeLessThan(RESPONSIVE_MS);
  }, 60_000);
});
