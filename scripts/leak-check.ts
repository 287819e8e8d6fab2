/**
 * vitest globalSetup for the integration suite: records every Docker object
 * Drydock labels (containers, volumes, networks) before the suite and fails
 * the run if the suite left any new one behind. Objects of the running
 * product's own fleet ("default") may come and go while tests run and are
 * not counted.
 */
import Docker from "dockerode";

const docker = new Docker();
const MANAGED = { label: ["io.drydock.managed=true"] };

async function snapshot(): Promise<Set<string>> {
  const [containers, volumes, networks] = await Promise.all([
    docker.listContainers({ all: true, filters: MANAGED }),
    docker.listVolumes({ filters: MANAGED }),
    docker.listNetworks({ filters: MANAGED }),
  ]);
  const productFleet = (labels: Record<string, string> | undefined) => labels?.["io.drydock.fleet"] === "default";
  return new Set([
    ...containers.filter((c) => !productFleet(c.Labels)).map((c) => `container ${c.Names[0] ?? c.Id}`),
    ...(volumes.Volumes ?? []).filter((v) => !productFleet(v.Labels)).map((v) => `volume ${v.Name}`),
    ...networks.map((n) => `network ${n.Name}`),
  ]);
}

export default async function recordDockerObjects(): Promise<() => Promise<void>> {
  const before = await snapshot();
  return async () => {
    // Removal of the last sandboxes can lag a moment behind the last test.
    let leaked: string[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      leaked = [...(await snapshot())].filter((name) => !before.has(name));
      if (leaked.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`The integration tests left ${leaked.length} Docker object(s) behind:\n  ${leaked.join("\n  ")}`);
  };
}
