import { randomBytes } from "node:crypto";
import Docker from "dockerode";
import { afterAll, describe, expect, it } from "vitest";
import { isCpuIdle } from "./cpu-idle";
import { DockerInDockerDriver, newSandboxId, SANDBOX_CPU_SHARES } from "./docker-in-docker-driver";
import type { Progress } from "./driver";
import { sandboxFilter } from "./labels";
import { createTestNetwork, startRegistryRelay, typedCommand } from "./testing";

const docker = new Docker();
const fleet = `engine-test-${randomBytes(4).toString("hex")}`;
// Sandboxes reach the registry at their network's gateway address (the agent's registry gateway in
// production); here a network of the test's own and a plain relay to the host's registry.
const network = await createTestNetwork(docker);
const relay = await startRegistryRelay(network.gateway, Number(process.env.DRYDOCK_REGISTRY_PORT ?? 5000));
const driver = new DockerInDockerDriver({
  docker,
  fleet,
  image: process.env.SANDBOX_IMAGE ?? "drydock/sandbox:latest",
  network: network.name,
  registryAddress: network.gateway,
  memoryBytes: 1024 * 1024 * 1024,
  nanoCpus: 1e9,
  pidsLimit: 1024,
});

/** Containers and volumes (data and assignment) the engine holds for these sandboxes. */
async function leftovers(sandboxIds: string[]) {
  const found: string[] = [];
  for (const sandboxId of sandboxIds) {
    const containers = await docker.listContainers({ all: true, filters: sandboxFilter({ sandboxId }) });
    const { Volumes } = await docker.listVolumes({ filters: { label: [`io.drydock.sandbox-id=${sandboxId}`] } });
    found.push(...containers.map((c) => c.Id), ...(Volumes ?? []).map((v) => v.Name));
  }
  return found;
}

describe("Docker-in-Docker sandboxes on the real engine", () => {
  const created: string[] = [];

  afterAll(async () => {
    await Promise.all(created.map((id) => driver.destroy(id)));
    await relay.close();
    await network.remove();
    expect(await leftovers(created)).toEqual([]);
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
      const version = await typedCommand(shell, "docker version --format 'server={{.Server.Version}}'");
      expect(version).toMatch(/server=\d+\.\d+/);
      const size = await typedCommand(shell, "stty size");
      expect(size).toContain("40 120");
      await shell.resize({ cols: 100, rows: 30 });
      expect(await typedCommand(shell, "stty size")).toContain("30 100");
      const release = await typedCommand(shell, "docker run --rm debian:bookworm cat /etc/os-release");
      expect(release).toContain('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"');
    } finally {
      shell.dispose();
    }
  });

  it("runs today's Docker: BuildKit builds with its cache, Compose v2 brings a service up with a published port", async () => {
    const sandbox = await driver.create({ owner: "integration-todays-docker", lifetimeSeconds: 600 });
    created.push(sandbox.id);
    const shell = await driver.openShell(sandbox.id, { cols: 200, rows: 40 });
    try {
      const versions = await typedCommand(
        shell,
        "docker version --format 'server={{.Server.Version}}'; docker compose version --short | sed 's/^/compose=/'",
      );
      expect(Number(/server=(\d+)\./.exec(versions)?.[1])).toBeGreaterThanOrEqual(26);
      expect(Number(/compose=v?(\d+)\./.exec(versions)?.[1])).toBeGreaterThanOrEqual(2);

      await typedCommand(
        shell,
        'mkdir -p /tmp/bk && cd /tmp/bk && printf \'FROM debian:bookworm-slim\\nRUN echo built > /built\\nCMD ["cat", "/built"]\\n\' > Dockerfile',
      );
      const first = await typedCommand(shell, "docker build --progress=plain -t bk:1 . 2>&1");
      expect(first).toContain("naming to docker.io/library/bk:1");
      const again = await typedCommand(shell, "docker build --progress=plain -t bk:2 . 2>&1");
      // The step that ran the first time is taken from the cache: BuildKit prints "#N CACHED" for its number N.
      // (Matched by its number, not line by line: tmux draws the output with its own escapes between the lines.)
      const step = /#(\d+) \[2\/2\] RUN echo built > \/built/.exec(again)?.[1];
      expect(step).toBeDefined();
      expect(again).toContain(`#${step} CACHED`);

      await typedCommand(
        shell,
        'printf \'services:\\n  web:\\n    image: bk:1\\n    command: ["sleep", "infinity"]\\n    ports: ["8088:80"]\\n\' > compose.yaml',
      );
      await typedCommand(shell, "docker compose up -d 2>&1");
      expect(await typedCommand(shell, "docker compose ps --format '{{.Service}} {{.State}}'")).toContain("web running");
      expect(await typedCommand(shell, "docker port bk-web-1 80")).toMatch(/0\.0\.0\.0:8088/);
      await typedCommand(shell, "docker compose down 2>&1");
      expect(await typedCommand(shell, 'echo "running=$(docker ps --quiet | wc -l)"')).toContain("running=0");
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
      await typedCommand(a, "docker create --name only-in-a debian:bookworm true >/dev/null");
      expect(await typedCommand(a, "docker ps -a --format '{{.Names}}'")).toContain("only-in-a");
      expect(await typedCommand(b, "docker ps -a --format 'name={{.Names}}'")).not.toContain("name=only-in-a");
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it("boots at a low CPU weight and in the idle CPU class, so learners at work keep the CPU, and runs at the full weight once ready", async () => {
    const id = newSandboxId();
    const cpu = async () => {
      const [container] = await docker.listContainers({ filters: sandboxFilter({ sandboxId: id }) });
      if (!container) return undefined;
      const info = await docker.getContainer(container.Id).inspect();
      return { shares: info.HostConfig.CpuShares, idle: await isCpuIdle(info.State.Pid) };
    };
    let whileBooting: ReturnType<typeof cpu> | undefined;
    // At 50 % the container runs and its engine boots.
    await driver.create({ id }, (progress: Progress) => {
      if (progress.percent === 50) whileBooting ??= cpu();
    });
    created.push(id);
    expect(await whileBooting).toEqual({ shares: SANDBOX_CPU_SHARES.booting, idle: true });
    expect(await cpu()).toEqual({ shares: SANDBOX_CPU_SHARES.running, idle: false });
  });

  it("removes a sandbox with its data volume", async () => {
    const sandbox = await driver.create({ owner: "integration-destroy", lifetimeSeconds: 600 });
    await driver.destroy(sandbox.id);
    expect((await driver.list()).map((s) => s.id)).not.toContain(sandbox.id);
    expect(await leftovers([sandbox.id])).toEqual([]);
  });

  it("pools a sandbox unassigned, then hands it over with the learner's environment", async () => {
    const pooled = await driver.create({});
    created.push(pooled.id);
    expect(pooled.assignment).toBeUndefined();
    const expiresAt = new Date(Date.now() + 600_000);
    await driver.assign(pooled.id, { owner: "learner-1", expiresAt, env: { DRYDOCK_USER: "learner1" } });
    const listed = (await driver.list()).find((s) => s.id === pooled.id);
    expect(listed?.assignment).toEqual({ owner: "learner-1", expiresAt, env: { DRYDOCK_USER: "learner1" } });
    expect((await driver.exec(pooled.id, ["bash", "-c", "echo user=$DRYDOCK_USER"])).stdout).toBe("user=learner1\n");
    // A fresh driver (an agent restart) finds the assignment in the engine's state.
    const restarted = new DockerInDockerDriver({
      docker,
      fleet,
      image: "unused",
      network: "unused",
      memoryBytes: 0,
      nanoCpus: 0,
      pidsLimit: 0,
    });
    expect((await restarted.list()).find((s) => s.id === pooled.id)?.assignment?.owner).toBe("learner-1");
  });

  it("keeps a terminal's shell and history across reattaching, per terminal name", async () => {
    const sandbox = await driver.create({ owner: "integration-tmux", lifetimeSeconds: 600 });
    created.push(sandbox.id);
    const first = await driver.openShell(sandbox.id, { cols: 100, rows: 30 });
    await typedCommand(first, "export REMEMBERED=yes-$((40+2)); echo history-line-$((1+1))");
    first.dispose();

    const again = await driver.openShell(sandbox.id, { cols: 100, rows: 30 });
    try {
      const replay = await new Promise<string>((resolve) => {
        let text = "";
        again.stream.on("data", (chunk: Buffer) => {
          text += chunk.toString("utf8");
          if (text.includes("history-line-2")) resolve(text);
        });
      });
      expect(replay).toContain("history-line-2");
      expect(await typedCommand(again, "echo $REMEMBERED")).toContain("yes-42");
    } finally {
      again.dispose();
    }

    const other = await driver.openShell(sandbox.id, { cols: 100, rows: 30 }, { terminal: "second" });
    try {
      expect(await typedCommand(other, "echo value=[$REMEMBERED]")).toContain("value=[]");
    } finally {
      other.dispose();
    }
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
