import { randomBytes } from "node:crypto";
import Docker from "dockerode";
import { type Assignment, loadAssignments, saveAssignment } from "./assignments";
import { type CheckOptions, type CheckResult, checkCommand, DEFAULT_CHECK_OPTIONS, interpretCheck } from "./checks";
import type { CreateSandboxOptions, ProgressListener, Sandbox, SandboxDriver, ShellOptions, TtySession, TtySize } from "./driver";
import { EngineError, explainDockerError, isNotFound } from "./errors";
import { type ExecOptions, type ExecResult, execCollect, execStream } from "./exec";
import { ExecSandboxFiles, type FilesLimits, type SandboxFiles } from "./files";
import { LABEL, sandboxFilter, sandboxLabels } from "./labels";
import { SANDBOX_REGISTRY } from "./network";
import { type ListeningPort, PORT_SCAN_SCRIPT, type PortEndpoint, PortPolling, type PortsWatcher, parsePortScan } from "./ports";
import { containerName, dataVolumeName, removeSandbox } from "./removal";
import { attachCommand } from "./shell-command";
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
  /** The fleet this driver manages; it lists and reaps only its own sandboxes. */
  fleet?: string;
  /** Limits of the files API (file size, listing size, time per operation). */
  files?: Partial<FilesLimits>;
  /**
   * Where sandboxes reach the registry (the agent's registry gateway): their
   * /etc/hosts maps the name their dockerd uses for it (SANDBOX_REGISTRY) to
   * this address. Without it sandboxes cannot pull base images.
   */
  registryAddress?: string;
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
  private readonly portPolling = new PortPolling((sandboxId) => this.listPorts(sandboxId));
  /** Assignments by sandbox id, kept in step with the engine's state (see assignments.ts). */
  private readonly assignments = new Map<string, Assignment>();

  constructor(private readonly options: DockerInDockerOptions) {
    this.docker = options.docker ?? new Docker();
  }

  get fleet(): string {
    return this.options.fleet ?? "default";
  }

  async create(request: CreateSandboxOptions, onProgress: ProgressListener = () => {}): Promise<Sandbox> {
    const id = request.id ?? newSandboxId();
    const createdAt = new Date();
    const labels = sandboxLabels(id, this.fleet);
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
        HostConfig: {
          Init: true,
          NetworkMode: network,
          ExtraHosts: this.options.registryAddress ? [`${SANDBOX_REGISTRY.host}:${this.options.registryAddress}`] : [],
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
      const sandbox: Sandbox = { id, createdAt, state: "ready" };
      if (request.owner) {
        onProgress({ percent: 90, message: "Handing the sandbox over" });
        const lifetimeMs = (request.lifetimeSeconds ?? 3600) * 1000;
        sandbox.assignment = (
          await this.assign(id, { owner: request.owner, expiresAt: new Date(Date.now() + lifetimeMs), env: request.env ?? {} })
        ).assignment;
      }
      onProgress({ percent: 100, message: "Ready" });
      return sandbox;
    } catch (error) {
      await this.destroy(id).catch(() => {});
      if (error instanceof EngineError) throw error;
      throw explainDockerError(error, { image, network });
    }
  }

  async assign(sandboxId: string, assignment: Assignment): Promise<Sandbox> {
    const container = await this.runningContainer(sandboxId);
    await saveAssignment(this.docker, sandboxId, assignment);
    this.assignments.set(sandboxId, assignment);
    const info = await container.inspect();
    return { id: sandboxId, createdAt: new Date(info.Created), state: "ready", assignment };
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

  async openShell(sandboxId: string, size: TtySize, options: ShellOptions = {}): Promise<TtySession> {
    const command = attachCommand(options, size);
    const container = await this.runningContainer(sandboxId);
    const exec = await container.exec({
      Cmd: command,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      WorkingDir: WORKSPACE,
      Env: [...this.envOf(sandboxId), "TERM=xterm-256color", "LANG=C.UTF-8"],
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
    const env = [...this.envOf(sandboxId), ...(options.env ?? [])];
    return execCollect(await this.runningContainer(sandboxId), command, { workingDir: WORKSPACE, ...options, env });
  }

  async runCheck(sandboxId: string, script: string, options: Partial<CheckOptions> = {}): Promise<CheckResult> {
    const limits = { ...DEFAULT_CHECK_OPTIONS, ...options };
    const started = performance.now();
    const run = await this.exec(sandboxId, checkCommand(limits.timeoutMs), { stdin: script, maxOutputBytes: limits.maxOutputBytes });
    return interpretCheck(run, limits, Math.round(performance.now() - started));
  }

  async destroy(sandboxId: string): Promise<void> {
    await removeSandbox(this.docker, sandboxId);
    this.assignments.delete(sandboxId);
  }

  async list(): Promise<Sandbox[]> {
    const [containers, assignments] = await Promise.all([
      this.docker.listContainers({ all: true, filters: sandboxFilter({ fleet: this.fleet }) }),
      loadAssignments(this.docker),
    ]);
    this.assignments.clear();
    for (const [id, assignment] of assignments) this.assignments.set(id, assignment);
    return containers.map((info) => {
      const id = info.Labels[LABEL.sandboxId] ?? "";
      const assignment = assignments.get(id);
      return {
        id,
        createdAt: new Date(info.Created * 1000),
        state: info.State === "running" ? "ready" : "gone",
        ...(assignment ? { assignment } : {}),
      };
    });
  }

  /** The learner's environment for processes the engine starts in the sandbox. */
  private envOf(sandboxId: string): string[] {
    return Object.entries(this.assignments.get(sandboxId)?.env ?? {}).map(([name, value]) => `${name}=${value}`);
  }

  async listPorts(sandboxId: string): Promise<ListeningPort[]> {
    const scan = await execCollect(await this.runningContainer(sandboxId), ["bash", "-c", PORT_SCAN_SCRIPT]);
    return parsePortScan(scan.stdout);
  }

  watchPorts(sandboxId: string, watcher: PortsWatcher): () => void {
    return this.portPolling.watch(sandboxId, watcher);
  }

  /** The sandbox container's address on the sandbox network, which the host (and so the agent) can reach. */
  async portEndpoint(sandboxId: string, port: number): Promise<PortEndpoint> {
    const info = await (await this.runningContainer(sandboxId)).inspect();
    const host = info.NetworkSettings.Networks[this.options.network]?.IPAddress;
    if (!host) {
      throw new EngineError(
        `Sandbox ${sandboxId} has no address on the network ${this.options.network}.`,
        "Start a new session; if it happens again, check the network with `npm run provision`.",
        "sandbox-failed",
      );
    }
    return { host, port };
  }

  files(sandboxId: string): SandboxFiles {
    return new ExecSandboxFiles(
      {
        exec: (command, options) => this.exec(sandboxId, command, { ...options, workingDir: "/" }),
        stream: async (command) => execStream(await this.runningContainer(sandboxId), command, { workingDir: "/" }),
      },
      WORKSPACE,
      this.options.files,
    );
  }

  private async runningContainer(sandboxId: string): Promise<Docker.Container> {
    const [info] = await this.docker.listContainers({ filters: sandboxFilter({ sandboxId }) });
    if (!info) {
      throw new EngineError(`Sandbox ${sandboxId} is not running.`, "Start a new session.", "sandbox-not-found");
    }
    return this.docker.getContainer(info.Id);
  }
}

export function newSandboxId(): string {
  return `sbx_${randomBytes(8).toString("hex")}`;
}
