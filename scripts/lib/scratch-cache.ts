import { LABEL } from "@drydock/engine";
import Docker from "dockerode";
import type { PackageCacheStore } from "../cache-store";

const IMAGE = process.env.APT_CACHE_IMAGE ?? "drydock/apt-cache:latest";
const PORT = 3142;

/** A package cache of a test's or a benchmark's own: container, volume and network named NAME. */
export interface ScratchCache extends PackageCacheStore {
  /** Where the host reaches it (when published). */
  url?: string;
  remove(): Promise<void>;
}

/**
 * Starts a cache like provision's drydock-apt-cache (same image), empty, on a
 * network of its own: `internal` gives that network no way out; `offline`
 * makes apt-cacher-ng serve only what it holds; `publish` publishes it on a
 * free port of 127.0.0.1.
 */
export async function startScratchCache(
  name: string,
  options: { internal?: boolean; offline?: boolean; publish?: boolean } = {},
  docker: Docker = new Docker(),
): Promise<ScratchCache> {
  const labels = { [LABEL.managed]: "true", [LABEL.role]: "scratch-apt-cache" };
  const network = await docker.createNetwork({ Name: name, Driver: "bridge", Internal: options.internal ?? false, Labels: labels });
  await docker.createVolume({ Name: name, Labels: labels });
  const container = await docker.createContainer({
    name,
    Image: IMAGE,
    Env: [`DRYDOCK_APT_CACHE_OFFLINE=${options.offline ? 1 : 0}`],
    Labels: labels,
    ExposedPorts: { [`${PORT}/tcp`]: {} },
    HostConfig: {
      NetworkMode: name,
      Mounts: [{ Type: "volume", Source: name, Target: "/var/cache/apt-cacher-ng" }],
      PortBindings: options.publish ? { [`${PORT}/tcp`]: [{ HostIp: "127.0.0.1", HostPort: "" }] } : {},
    },
  });
  const remove = async () => {
    await container.remove({ force: true }).catch(() => {});
    await docker
      .getVolume(name)
      .remove()
      .catch(() => {});
    await network.remove().catch(() => {});
  };
  try {
    await container.start();
    await untilListening(container);
    const port = (await container.inspect()).NetworkSettings.Ports[`${PORT}/tcp`]?.[0]?.HostPort;
    return { container: name, volume: name, network: name, image: IMAGE, url: port ? `http://127.0.0.1:${port}` : undefined, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

async function untilListening(container: Docker.Container): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const exec = await container.exec({ Cmd: ["bash", "-c", `echo >/dev/tcp/127.0.0.1/${PORT}`], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    await new Promise((resolve) => stream.on("end", resolve).resume());
    if ((await exec.inspect()).ExitCode === 0) return;
    if (Date.now() > deadline) throw new Error("apt-cacher-ng did not listen within 30 s: see `docker logs` of the cache container.");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
