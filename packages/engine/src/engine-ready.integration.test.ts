import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, describe, expect, it } from "vitest";
import { DATA_DISKS_DIR } from "./data-disk";
import { DockerInDockerDriver } from "./docker-in-docker-driver";
import { EngineError } from "./errors";
import { removeFleet } from "./removal";
import { createTestNetwork } from "./testing";

const docker = new Docker();
const fleet = `engine-ready-${randomBytes(4).toString("hex")}`;
const network = await createTestNetwork(docker);

afterAll(async () => {
  await removeFleet(fleet, docker);
  await network.remove();
});

describe("waiting for a sandbox's inner engine", () => {
  it("fails at once on a real fault, with its reason, long before a generous deadline, and leaves nothing behind", async () => {
    // An image whose main process is no Docker engine: it exits at once, as a crashing dockerd would.
    const driver = new DockerInDockerDriver({
      docker,
      fleet,
      image: "debian:bookworm-slim",
      network: network.name,
      memoryBytes: 256 * 1024 * 1024,
      nanoCpus: 1e9,
      pidsLimit: 256,
      diskBytes: 64 * 1024 * 1024,
      // Ten minutes: waiting it out would outlast the test's own time limit.
      engineReadyTimeoutMs: 600_000,
    });
    const id = `sbx_${randomBytes(8).toString("hex")}`;
    const failure = await driver.create({ id }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(EngineError);
    expect((failure as EngineError).code).toBe("sandbox-failed");
    expect((failure as EngineError).message).toMatch(/failed to start: its container stopped \(exit code \d+/);
    expect(await docker.listContainers({ all: true, filters: { label: [`io.drydock.fleet=${fleet}`] } })).toEqual([]);
    expect([`${id}.ext4`, id].filter((name) => existsSync(join(DATA_DISKS_DIR, name)))).toEqual([]);
  });
});
