import { randomBytes } from "node:crypto";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LABEL } from "@drydock/engine";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportCache, importCache, type PackageCacheStore, warmCache } from "./cache-store";

/**
 * A room with no internet at all, for real: a cache warmed on a host that
 * reaches Debian's archive is exported, imported into a fresh cache in
 * offline mode on an internal network (no way out), and apt-get installs
 * through it there.
 */

const docker = new Docker();
const id = randomBytes(4).toString("hex");
const IMAGE = process.env.APT_CACHE_IMAGE ?? "drydock/apt-cache:latest";
const labels = { [LABEL.managed]: "true", [LABEL.role]: "test-apt-cache" };
const networks: Docker.Network[] = [];
const containers: Docker.Container[] = [];
const volumes: string[] = [];
let dir: string;

/** A cache like provision's drydock-apt-cache, on a network of the test's own. */
async function startCache(name: string, options: { internal: boolean; offline: boolean }): Promise<PackageCacheStore> {
  const network = await docker.createNetwork({ Name: name, Driver: "bridge", Internal: options.internal, Labels: labels });
  networks.push(network);
  await docker.createVolume({ Name: name, Labels: labels });
  volumes.push(name);
  const container = await docker.createContainer({
    name,
    Image: IMAGE,
    Env: [`DRYDOCK_APT_CACHE_OFFLINE=${options.offline ? 1 : 0}`],
    Labels: labels,
    HostConfig: { NetworkMode: name, Mounts: [{ Type: "volume", Source: name, Target: "/var/cache/apt-cacher-ng" }] },
  });
  containers.push(container);
  await container.start();
  await untilListening(container);
  return { container: name, volume: name, network: name, image: IMAGE };
}

async function untilListening(container: Docker.Container): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const exec = await container.exec({ Cmd: ["bash", "-c", "echo >/dev/tcp/127.0.0.1/3142"], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    await new Promise((resolve) => stream.on("end", resolve).resume());
    if ((await exec.inspect()).ExitCode === 0) return;
    if (Date.now() > deadline) throw new Error("apt-cacher-ng did not listen within 30 s");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "drydock-cache-test-"));
});

afterAll(async () => {
  for (const container of containers) await container.remove({ force: true }).catch(() => {});
  for (const volume of volumes)
    await docker
      .getVolume(volume)
      .remove()
      .catch(() => {});
  for (const network of networks) await network.remove().catch(() => {});
  await rm(dir, { recursive: true, force: true });
});

describe("npm run cache: export and import", () => {
  it("carries a warm cache to a host with no internet, where apt-get then installs from it", async () => {
    const online = await startCache(`drydock-test-cache-online-${id}`, { internal: false, offline: false });
    const offline = await startCache(`drydock-test-cache-offline-${id}`, { internal: true, offline: true });
    await warmCache(["figlet"], online);
    const file = join(dir, "cache.tar.gz");
    await exportCache(file, online);
    expect((await stat(file)).size).toBeGreaterThan(100_000);

    // Nothing to offer yet, and no way to the archive.
    await expect(warmCache(["figlet"], offline)).rejects.toThrow(/Unable to locate package figlet|Failed to fetch/);
    await importCache(file, offline);
    await warmCache(["figlet"], offline);
  });

  it("says what to give it when the file is missing", async () => {
    await expect(importCache(join(dir, "nothing.tar.gz"))).rejects.toThrow(
      /does not exist: give the file `npm run cache -- export FILE` wrote/,
    );
  });
});
