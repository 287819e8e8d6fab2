import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import Docker from "dockerode";
import { afterAll, describe, expect, it } from "vitest";
import { DockerInDockerDriver } from "./docker-in-docker-driver";
import { EngineError } from "./errors";
import { freezerOf, readFreezerState } from "./freezer";
import { callThawingOnTimeout } from "./frozen-containers";
import { sandboxFilter } from "./labels";
import { removeFleet } from "./removal";
import { createTestNetwork, type StuckFreezer, smallSandboxOptions, stickFreezer } from "./testing";

/**
 * A sandbox whose cgroup freezer Docker lost track of: FROZEN, or stuck
 * FREEZING, while Docker says it runs (what hung CI's paused-seat restart
 * test and then its fleet removal). The engine thaws it instead of waiting.
 */
const docker = new Docker();
const fleet = `fz-frozen-${randomBytes(4).toString("hex")}`;
const network = await createTestNetwork(docker);
const warnings: { event: string; fields: Record<string, unknown> }[] = [];
const driver = new DockerInDockerDriver({
  ...smallSandboxOptions(docker, fleet, network.name),
  onWarning: (event, fields) => warnings.push({ event, fields }),
});

/** Released after each test, and here too for a test that timed out: the waiting process and its FUSE daemon outlive the test otherwise. */
const stuckFreezers: StuckFreezer[] = [];
async function stick(containerId: string): Promise<StuckFreezer> {
  const stuck = await stickFreezer(containerId);
  stuckFreezers.push(stuck);
  return stuck;
}

afterAll(async () => {
  for (const stuck of stuckFreezers) await stuck.release();
  await removeFleet(fleet, docker);
  await network.remove();
});

async function containerIdOf(sandboxId: string): Promise<string> {
  const [info] = await docker.listContainers({ all: true, filters: sandboxFilter({ sandboxId }) });
  if (!info) throw new Error(`no container for ${sandboxId}`);
  return info.Id;
}

async function freezerFileOf(containerId: string) {
  const freezer = await freezerOf(containerId);
  if (!freezer) throw new Error(`no cgroup freezer found for ${containerId}`);
  return freezer;
}

const thawedFor = (sandboxId: string) =>
  warnings.filter((warning) => warning.event === "sandbox.freezer_thawed" && warning.fields.sandboxId === sandboxId);

/** Rejects with the AbortError a deadline gives, or resolves with what the call answered in time. */
const withinMs = <T>(ms: number, call: (abortSignal: AbortSignal) => Promise<T>) => call(AbortSignal.timeout(ms));

async function until(condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for Docker's calls on the container to block");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("a sandbox frozen behind Docker's back", () => {
  it("runs commands again: a sandbox Docker says runs but whose cgroup is FROZEN is thawed first", async () => {
    const { id } = await driver.create({});
    const containerId = await containerIdOf(id);
    const freezer = await freezerFileOf(containerId);
    await writeFile(freezer.file, freezer.version === 1 ? "FROZEN" : "1");

    // What Docker alone does: it refuses to run anything in it, and says it runs.
    const refused = await docker.getContainer(containerId).exec({ Cmd: ["true"], AttachStdout: true, AttachStderr: true });
    const output = await withinMs(20_000, async (abortSignal) => {
      const stream = await refused.start({ abortSignal });
      let text = "";
      stream.on("data", (chunk: Buffer) => {
        text += chunk.toString();
      });
      await new Promise((resolve) => stream.on("end", resolve));
      return text;
    });
    expect(output).toMatch(/paused/);
    expect((await driver.list()).find((sandbox) => sandbox.id === id)?.state).toBe("ready");

    const answered = await driver.exec(id, ["echo", "thawed"]);
    expect(answered.stdout.trim()).toBe("thawed");
    expect(await readFreezerState(freezer)).toBe("thawed");
    expect(thawedFor(id)[0]?.fields).toMatchObject({ containerId, freezerState: "frozen", file: freezer.file, thawed: true });
  });

  it("resumes when paused in Docker's eyes but thawed behind its back, where Docker's unpause alone fails", async () => {
    const { id } = await driver.create({});
    const containerId = await containerIdOf(id);
    const freezer = await freezerFileOf(containerId);
    await driver.pause(id);
    await writeFile(freezer.file, freezer.version === 1 ? "THAWED" : "0");
    await expect(withinMs(20_000, (abortSignal) => docker.getContainer(containerId).unpause({ abortSignal }))).rejects.toThrow(
      /not paused/,
    );

    await driver.resume(id);
    expect((await driver.list()).find((sandbox) => sandbox.id === id)?.state).toBe("ready");
    expect((await driver.exec(id, ["echo", "resumed"])).stdout.trim()).toBe("resumed");
    expect(warnings.filter((warning) => warning.event === "sandbox.freezer_refrozen").map((warning) => warning.fields.sandboxId)).toEqual([
      id,
    ]);
  });

  it("is removed: a cgroup stuck FREEZING blocks Docker's removal until the engine thaws it", async () => {
    const { id } = await driver.create({});
    const containerId = await containerIdOf(id);
    const freezer = await freezerFileOf(containerId);
    const stuck = await stick(containerId);
    try {
      await stuck.freeze();
      // The removal the engine used to make, with no deadline: it waits as long as the cgroup says FREEZING.
      const oldRemoval = withinMs(10_000, (abortSignal) => docker.getContainer(containerId).remove({ force: true, v: true, abortSignal }));
      await expect(oldRemoval).rejects.toMatchObject({ name: "AbortError" });
      expect(await readFreezerState(freezer)).toBe("freezing");

      await driver.destroy(id);
      expect(await docker.listContainers({ all: true, filters: sandboxFilter({ sandboxId: id }) })).toEqual([]);
      expect(thawedFor(id)[0]?.fields).toMatchObject({ containerId, freezerState: "freezing", thawed: true });
    } finally {
      await stuck.release();
    }
  });

  it("fails to pause with an error that names it when a process cannot be frozen, and runs on", async () => {
    const { id } = await driver.create({});
    const containerId = await containerIdOf(id);
    const freezer = await freezerFileOf(containerId);
    const stuck = await stick(containerId);
    try {
      const paused = driver.pause(id);
      await expect(paused).rejects.toBeInstanceOf(EngineError);
      await expect(paused).rejects.toThrow(new RegExp(`${id} \\(container ${containerId}\\) could not be paused`));
      expect(await readFreezerState(freezer)).toBe("thawed");
      expect((await driver.exec(id, ["echo", "runs-on"])).stdout.trim()).toBe("runs-on");
    } finally {
      await stuck.release();
    }
  });

  it("answers a Docker call that timed out on a stuck cgroup once thawed, and says so", async () => {
    const { id } = await driver.create({});
    const containerId = await containerIdOf(id);
    const container = docker.getContainer(containerId);
    const stuck = await stick(containerId);
    try {
      await stuck.freeze();
      // An exec into it blocks in runc, and once it does, Docker's other calls on the container wait too.
      const exec = await container.exec({ Cmd: ["true"] });
      const blockedExec = exec.start({ abortSignal: AbortSignal.timeout(60_000) }).catch(() => undefined);
      await until(
        async () => (await withinMs(1_000, (abortSignal) => container.inspect({ abortSignal })).catch(() => undefined)) === undefined,
      );

      const found: string[] = [];
      const info = await callThawingOnTimeout(
        { containerId, sandboxId: id },
        "inspect",
        (abortSignal) => container.inspect({ abortSignal }),
        {
          timeoutMs: 5_000,
          warn: (event, fields) => found.push(`${event} ${fields.freezerState} ${fields.why}`),
        },
      );
      expect(info.State.Running).toBe(true);
      expect(found).toEqual(["sandbox.freezer_thawed freezing Docker did not inspect the container within 5000 ms"]);
      await blockedExec;
    } finally {
      await stuck.release();
    }
  });
});
