/**
 * vitest globalSetup for the integration suite: records everything Drydock
 * leaves on a host — the Docker objects it labels (containers, volumes,
 * assignment volumes included, networks) and the sandboxes' data disks (image
 * files and mount points under the disks folder, mounts in /proc/mounts) —
 * before the suite, and fails the run if the suite left any new one behind.
 * What belongs to the running product's own fleet ("default") may come and
 * go while tests run and is not counted.
 */
import { readdir, readFile } from "node:fs/promises";
import { DATA_DISKS_DIR, mountsUnder } from "@drydock/engine";
import Docker from "dockerode";

const docker = new Docker();
const MANAGED = { label: ["io.drydock.managed=true"] };
const PRODUCT_FLEET = "default";

async function snapshot(): Promise<Set<string>> {
  const [containers, volumes, networks, diskFiles, mounts] = await Promise.all([
    docker.listContainers({ all: true, filters: MANAGED }),
    docker.listVolumes({ filters: MANAGED }),
    docker.listNetworks({ filters: MANAGED }),
    readdir(DATA_DISKS_DIR).catch(() => [] as string[]),
    readFile("/proc/mounts", "utf8").then((table) => mountsUnder(table, DATA_DISKS_DIR)),
  ]);
  // Assignment volumes and disks carry only their sandbox's id: their fleet is their container's.
  const productSandboxes = new Set(
    containers.filter((c) => c.Labels["io.drydock.fleet"] === PRODUCT_FLEET).map((c) => c.Labels["io.drydock.sandbox-id"]),
  );
  const product = (labels: Record<string, string> | undefined) =>
    labels?.["io.drydock.fleet"] === PRODUCT_FLEET || productSandboxes.has(labels?.["io.drydock.sandbox-id"]);
  const productDisk = (name: string) => productSandboxes.has(name.replace(/\.ext4$/, ""));
  return new Set([
    ...containers.filter((c) => !product(c.Labels)).map((c) => `container ${c.Names[0] ?? c.Id}`),
    ...(volumes.Volumes ?? []).filter((v) => !product(v.Labels)).map((v) => `volume ${v.Name}`),
    ...networks.map((n) => `network ${n.Name}`),
    ...diskFiles.filter((name) => !productDisk(name)).map((name) => `data disk ${DATA_DISKS_DIR}/${name}`),
    ...mounts.filter((name) => !productDisk(name)).map((name) => `mount ${DATA_DISKS_DIR}/${name}`),
  ]);
}

export default async function recordLeftovers(): Promise<() => Promise<void>> {
  const before = await snapshot();
  return async () => {
    // Removal of the last sandboxes can lag a moment behind the last test.
    let leaked: string[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      leaked = [...(await snapshot())].filter((name) => !before.has(name));
      if (leaked.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`The integration tests left ${leaked.length} thing(s) behind:\n  ${leaked.join("\n  ")}`);
  };
}
