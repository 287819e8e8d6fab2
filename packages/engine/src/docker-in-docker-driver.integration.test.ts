import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerInDockerDriver } from "./docker-in-docker-driver";
import type { Progress, TtySession } from "./driver";
import { sandboxFilter } from "./labels";

const docker = new Docker();
const driver = new DockerInDockerDriver({
  docker,
  image: process.env.SANDBOX_IMAGE ?? "drydock/sandbox:latest",
  network: process.env.SANDBOX_NETWORK ?? "drydock",
  memoryBytes: 1024 * 1024 * 1024,
  nanoCpus: 1e9,
  pidsLimit: 1024,
});

/**
 * Types a command into the shell and resolves with everything printed until it
 * has finished. The end marker is quoted so that the shell's echo of the typed
 * line does not contain it, only the command's output does.
 */
let commandCount = 0;
function run(session: TtySession, command: string, timeoutMs = 90_000): Promise<string> {
  const tag = `done-${++commandCount}`;
  const marker = `@@${tag}`;
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      session.stream.off("data", onData);
      reject(new Error(`"${marker}" did not appear within ${timeoutMs} ms; output was:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.includes(marker)) {
        clearTimeout(timer);
        session.stream.off("data", onData);
        resolve(output);
      }
    };
    session.stream.on("data", onData);
    session.stream.write(`${command}; echo "@@"'${tag}'\n`);
  });
}

async function countOurs() {
  const containers = await docker.listContainers({ all: true, filters: sandboxFilter() });
  const { Volumes } = await docker.listVolumes({ filters: sandboxFilter() });
  return { containers: containers.length, volumes: Volumes?.length ?? 0 };
}

describe("Docker-in-Docker sandboxes on the real engine", () => {
  let before: { containers: number; volumes: number };
  const created: string[] = [];

  beforeAll(async () => {
    before = await countOurs();
  });

  afterAll(async () => {
    await Promise.all(created.map((id) => driver.destroy(id)));
    expect(await countOurs()).toEqual(before);
  });

  it("starts a private engine that runs a container from the local registry", async () => {
    const progress: Progress[] = [];
    const sandbox = await driver.create({ owner: "integration-test", lifetimeSeconds: 600 }, (p) => progress.push(p));
    created.push(sandbox.id);
    expect(sandbox.state).toBe("ready");
    expect(progress.at(-1)).toEqual({ percent: 100, message: "Ready" });
    expect((await driver.list()).map((s) => s.id)).toContain(sandbox.id);

    const shell = await driver.openShell(sandbox.id, { cols: 120, rows: 40 });
    try {
      const version = await run(shell, "docker version --format 'server={{.Server.Version}}'");
      expect(version).toMatch(/server=\d+\.\d+/);
      const size = await run(shell, "stty size");
      expect(size).toContain("40 120");
      await shell.resize({ cols: 100, rows: 30 });
      expect(await run(shell, "stty size")).toContain("30 100");
      const release = await run(shell, "docker run --rm debian:bookworm cat /etc/os-release");
      expect(release).toContain('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"');
    } finally {
      shell.dispose();
    }
  });

  it("gives each sandbox its own engine", async () => {
    const [first, second] = await Promise.all([
      driver.create({ owner: "integration-a", lifetimeSeconds: 600 }),
      driver.create({ owner: "integration-b", lifetimeSeconds: 600 }),
    ]);
    created.push(first.id, second.id);
    const a = await driver.openShell(first.id, { cols: 120, rows: 40 });
    const b = await driver.openShell(second.id, { cols: 120, rows: 40 });
    try {
      await run(a, "docker create --name only-in-a debian:bookworm true >/dev/null");
      expect(await run(a, "docker ps -a --format '{{.Names}}'")).toContain("only-in-a");
      expect(await run(b, "docker ps -a --format 'name={{.Names}}'")).not.toContain("name=only-in-a");
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it("removes a sandbox with its data volume", async () => {
    const sandbox = await driver.create({ owner: "integration-destroy", lifetimeSeconds: 600 });
    await driver.destroy(sandbox.id);
    expect((await driver.list()).map((s) => s.id)).not.toContain(sandbox.id);
    const { Volumes } = await docker.listVolumes({ filters: sandboxFilter(sandbox.id) });
    expect(Volumes ?? []).toHaveLength(0);
  });

  it("explains a missing image instead of failing obscurely", async () => {
    const broken = new DockerInDockerDriver({
      docker,
      image: "drydock/no-such-image:missing",
      network: "drydock",
      memoryBytes: 256 << 20,
      nanoCpus: 1e9,
      pidsLimit: 256,
    });
    await expect(broken.create({ owner: "integration-missing", lifetimeSeconds: 60 })).rejects.toMatchObject({
      code: "image-missing",
      hint: expect.stringContaining("npm run provision"),
    });
  });
});
