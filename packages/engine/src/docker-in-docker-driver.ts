import { randomBytes } from "node:crypto";
import Docker from "dockerode";
import { type CheckOptions, type CheckResult, checkCommand, DEFAULT_CHECK_OPTIONS, interpretCheck } from "./checks";
import type { CreateSandboxOptions, ProgressListener, Sandbox, SandboxDriver, TtySession, TtySize } from "./driver";
import { EngineError, explainDockerError, isNotFound } from "./errors";
import { type ExecOptions, type ExecResult, execCollect } from "./exec";
import { LABEL, sandboxFilter, sandboxLabels } from "./labels";
import { waitUntil } from "./wait";

export interface DockerInDockerOptions {
  docker?: Docker;
  image: string;
  network: string;
  /** Limits on the sandbox container. */
  memoryBytes: number;
  nanoCpus: number;
  pidsLimit: number;
  engineReadyTimeoutMs?: number;
}

const WORKSPACE = "/root/lab";

/**
 * Each sandbox is a container running its own dockerd (Docker-in-Docker).
 *
 * This first driver uses the near-privileged recipe from STACK.md: quick and
 * known to work on these hosts, but the learner holds host-root-equivalent
 * power and the limits do not bind containers started inside. The containment
 * work replaces it as the default.
 */
export class DockerInDockerDriver implements SandboxDriver {
  private readonly docker: Docker;

  constructor(private readonly options: DockerInDockerOptions) {
    this.docker = options.docker ?? new Docker();
  }

  async create(request: CreateSandboxOptions, onProgress: ProgressListener = () => {}): Promise<Sandbox> {
    const id = `sbx_${randomBytes(8).toString("hex")}`;
    const createdAt = new Date();
    const expiresAt = new Date(createdAt.getTime() + request.lifetimeSeconds * 1000);
    const labels = sandboxLabels(id, request.owner, expiresAt);
    const { image, network } = this.options;
    onProgress({ percent: 10, message: "Creating the sandbox" });
    try {
      await this.docker.createVolume({ Name: dataVolumeName(id), Labels: labels });
      const container = await this.docker.createContainer({
        name: containerName(id),
        Image: image,
        Hostname: "sandbox",
        Labels: labels,
        WorkingDir: WORKSPACE,
        Env: Object.entries(request.env ?? {}).map(([name, value]) => `${name}=${value}`),
        HostConfig: {
          Init: true,
          NetworkMode: network,
          CapAdd: ["ALL"],
          CapDrop: ["SYS_RESOURCE"],
          SecurityOpt: ["seccomp=unconfined", "apparmor=unconfined"],
          // The API form of `--security-opt systempaths=unconfined`.
          MaskedPaths: [],
          ReadonlyPaths: [],
          Binds: ["/sys/fs/cgroup:/sys/fs/cgroup:rw"],
          Tmpfs: { "/run": "rw,nosuid,nodev" },
          // The inner engine's data must not sit on the container's own overlay:
          // overlay-on-overlay falls back to the vfs driver, 20 times slower.
          Mounts: [{ Type: "volume", Source: dataVolumeName(id), Target: "/var/lib/docker" }],
          Memory: this.options.memoryBytes,
          NanoCpus: this.options.nanoCpus,
          PidsLimit: this.options.pidsLimit,
        },
      });
      onProgress({ percent: 30, message: "Starting the sandbox" });
      await container.start();
      onProgress({ percent: 50, message: "Waiting for the sandbox's Docker engine" });
      await this.waitForEngine(container, id);
      onProgress({ percent: 100, message: "Ready" });
      return { id, owner: request.owner, createdAt, expiresAt, state: "ready" };
    } catch (error) {
      await this.destroy(id).catch(() => {});
      if (error instanceof EngineError) throw error;
      throw explainDockerError(error, { image, network });
    }
  }

  private async waitForEngine(container: Docker.Container, id: string): Promise<void> {
    const timeoutMs = this.options.engineReadyTimeoutMs ?? 30_000;
    try {
      await waitUntil(
        async () => {
          const result = await execCollect(container, ["docker", "version", "--format", "{{.Server.Version}}"]);
          return result.exitCode === 0;
        },
        { timeoutMs, intervalMs: 50, what: `the Docker engine in sandbox ${id}` },
      );
    } catch (error) {
      const log = await execCollect(container, ["tail", "-n", "20", "/var/log/dockerd.log"]).catch(() => undefined);
      throw new EngineError(
        `The sandbox's Docker engine did not start within ${timeoutMs} ms.${log ? ` Its log ends with:\n${log.stdout}` : ""}`,
        "Check that the host's dockerd runs with overlay2 and that `npm run provision` completed.",
        "sandbox-failed",
        { cause: error },
      );
    }
  }

  async openShell(sandboxId: string, size: TtySize): Promise<TtySession> {
    const container = await this.runningContainer(sandboxId);
    const exec = await container.exec({
      Cmd: ["bash", "-l"],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      WorkingDir: WORKSPACE,
      Env: ["TERM=xterm-256color", "LANG=C.UTF-8"],
    });
    const stream = await exec.start({ hijack: true, stdin: true, Tty: true });
    // Docker applies a resize only once the exec has started.
    await exec.resize({ h: size.rows, w: size.cols }).catch(() => {});
    let disposed = false;
    return {
      stream,
      resize: async ({ cols, rows }) => {
        if (!disposed) await exec.resize({ h: rows, w: cols });
      },
      dispose: () => {
        if (disposed) return;
        disposed = true;
        stream.destroy();
      },
    };
  }

  async exec(sandboxId: string, command: string[], options: ExecOptions = {}): Promise<ExecResult> {
    return execCollect(await this.runningContainer(sandboxId), command, { workingDir: WORKSPACE, ...options });
  }

  async runCheck(sandboxId: string, script: string, options: Partial<CheckOptions> = {}): Promise<CheckResult> {
    const limits = { ...DEFAULT_CHECK_OPTIONS, ...options };
    const started = performance.now();
    const run = await this.exec(sandboxId, checkCommand(limits.timeoutMs), { stdin: script, maxOutputBytes: limits.maxOutputBytes });
    return interpretCheck(run, limits, Math.round(performance.now() - started));
  }

  async destroy(sandboxId: string): Promise<void> {
    const containers = await this.docker.listContainers({ all: true, filters: sandboxFilter(sandboxId) });
    await Promise.all(
      containers.map((info) =>
        this.docker
          .getContainer(info.Id)
          .remove({ force: true, v: true })
          .catch((error: unknown) => {
            if (!isNotFound(error)) throw error;
          }),
      ),
    );
    await this.docker
      .getVolume(dataVolumeName(sandboxId))
      .remove()
      .catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
  }

  async list(): Promise<Sandbox[]> {
    const containers = await this.docker.listContainers({ all: true, filters: sandboxFilter() });
    return containers.map((info) => {
      const labels = info.Labels;
      return {
        id: labels[LABEL.sandboxId] ?? "",
        owner: labels[LABEL.owner] ?? "",
        createdAt: new Date(info.Created * 1000),
        expiresAt: new Date(labels[LABEL.expiresAt] ?? 0),
        state: info.State === "running" ? "ready" : "gone",
      };
    });
  }

  private async runningContainer(sandboxId: string): Promise<Docker.Container> {
    const [info] = await this.docker.listContainers({ filters: sandboxFilter(sandboxId) });
    if (!info) {
      throw new EngineError(`Sandbox ${sandboxId} is not running.`, "Start a new session.", "sandbox-not-found");
    }
    return this.docker.getContainer(info.Id);
  }
}

function containerName(sandboxId: string): string {
  return `drydock-${sandboxId.replace("_", "-")}`;
}

function dataVolumeName(sandboxId: string): string {
  return `${containerName(sandboxId)}-docker`;
}
