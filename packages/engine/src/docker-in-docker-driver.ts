import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { type CheckOutcome, DEFAULT_WORKSPACE, type ImagesSnapshot, workspaceProblem } from "@drydock/protocol";
import Docker from "dockerode";
import { type Assignment, loadAssignments, saveAssignment } from "./assignments";
import { type CheckOptions, checkCommand, DEFAULT_CHECK_OPTIONS, interpretCheck } from "./checks";
import { setCpuIdle } from "./cpu-idle";
import { createDataDisk, DATA_DISK_PARTS } from "./data-disk";
import type { Disposable } from "./disposable";
import type {
  CreateSandboxOptions,
  ProgressListener,
  Sandbox,
  SandboxDriver,
  SandboxLimits,
  ShellOptions,
  TtySession,
  TtySize,
} from "./driver";
import { waitForInnerEngine } from "./engine-ready";
import { EngineError, explainDockerError } from "./errors";
import { type SandboxEventsWatcher, watchSandboxEvents } from "./events";
import { type ExecOptions, type ExecResult, execCollect, execStream } from "./exec";
import { ExecSandboxFiles, type FilesLimits, type SandboxFiles } from "./files";
import { FreezeGate } from "./freeze-gate";
import { freezeFreezer, freezerOf } from "./freezer";
import {
  callThawingOnTimeout,
  type EngineWarn,
  type FrozenCallOptions,
  type SandboxContainer,
  thawIfFrozen,
  warnOnStderr,
} from "./frozen-containers";
import {
  IMAGE_EVENTS_SCRIPT,
  IMAGE_SCAN_SCRIPT,
  type ImagesWatcher,
  type ImageWatch,
  imagesSnapshot,
  parseImageScan,
  watchImages,
} from "./images";
import {
  DEFAULT_ISOLATION,
  isolationContainerSettings,
  LEARNER_USER,
  type LearnerExec,
  learnerExec,
  type SandboxIsolation,
} from "./isolation";
import { LABEL, sandboxFilter, sandboxLabels } from "./labels";
import { SANDBOX_REGISTRY } from "./network";
import { configurePackageCache } from "./package-cache";
import { PLACE_FILES_SCRIPT, type PlacedFile, placementStdin } from "./placement";
import { type ListeningPort, PORT_SCAN_SCRIPT, type PortEndpoint, PortPolling, type PortsWatcher, parsePortScan } from "./ports";
import { containerName, dataVolumeName, type RemovedOrphans, removeOrphans, removeSandbox } from "./removal";
import { TerminalRelays } from "./terminal/relays";
import { attachCommand } from "./terminal/shell-command";
import { SHELL_INTEGRATION_ENV } from "./terminal/shell-integration";
import { reserveUidRange } from "./uid-ranges";

export interface DockerInDockerOptions {
  docker?: Docker;
  image: string;
  network: string;
  /** How sandboxes are isolated from the host (isolation.ts); "privileged" is host-root-equivalent. */
  isolation?: SandboxIsolation;
  /** Limits on the sandbox container: the default, and the most a request may ask for. */
  memoryBytes: number;
  nanoCpus: number;
  pidsLimit: number;
  /**
   * How long a booting sandbox's inner engine may take to answer when no
   * fault shows (default 3 minutes): a busy host makes boots slow, and a real
   * fault (dockerd exited or logged a fatal error) fails the boot at once anyway.
   */
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
  /**
   * The package cache's proxy URL (package-cache.ts, the agent's gateway on
   * the sandbox network), written at creation into the learner's Docker client
   * configuration (so into their containers and builds) and the sandbox's apt.
   * Without it apt-get goes to Debian's archive directly.
   */
  packageCacheProxy?: string;
  /**
   * Size of each sandbox's own data filesystem (data-disk.ts) for its inner
   * engine; without it the inner engine's data sits on a Docker volume with
   * no size limit.
   */
  diskBytes?: number;
  /**
   * Deadline of each Docker call on a sandbox that may be frozen (inspect,
   * pause, unpause, remove; default DOCKER_CALL_TIMEOUT_MS): past it, the
   * cgroup is thawed if frozen and the call made once more (frozen-containers.ts).
   */
  dockerCallTimeoutMs?: number;
  /** Where the engine reports what it repaired (a sandbox thawed); default one JSON line on stderr. */
  onWarning?: EngineWarn;
}

/** Inspect, history and config of the listed images: a few KiB each, far more for images with long histories. */
const IMAGE_SCAN_MAX_BYTES = 16 * 1024 * 1024;
/**
 * CPU weight (cgroup cpu.shares) while a sandbox's engine boots, and once it
 * is ready (Docker's default). A boot takes what running sandboxes leave, so
 * learners already at work keep a responsive terminal while others arrive;
 * the weight only matters when the CPUs are contended.
 */
export const SANDBOX_CPU_SHARES = { booting: 128, running: 1024 } as const;
/**
 * How long a booting sandbox stays in the idle CPU class (cpu-idle.ts): long
 * enough for a boot beside learners at work (2–4 s for three at once on two
 * cores), and a bound on it, since an idle boot on a machine that other work
 * keeps fully busy would hardly advance. After it, the boot continues at its
 * low CPU weight.
 */
export const SANDBOX_BOOT_IDLE_LIMIT_MS = 5_000;
export const DEFAULT_ENGINE_READY_TIMEOUT_MS = 180_000;

/**
 * Each sandbox is a container running its own dockerd (Docker-in-Docker).
 *
 * How the container is isolated is the driver's one variable (isolation.ts):
 * rootless by default, where the learner is root in a user namespace of the
 * sandbox's own and the container's limits bind everything inside; or the
 * near-privileged recipe, host-root-equivalent, as an explicit opt-in.
 */
export class DockerInDockerDriver implements SandboxDriver {
  private readonly docker: Docker;
  private readonly portPolling = new PortPolling((sandboxId) => this.listPorts(sandboxId));
  /** Assignments by sandbox id, kept in step with the engine's state (see assignments.ts). */
  private readonly assignments = new Map<string, Assignment>();
  private readonly learner: LearnerExec;
  private readonly relays: TerminalRelays;
  /** Sandboxes this driver is pausing or resuming right now: their freezer is in motion, not lost. */
  private readonly freezing = new Set<string>();
  /** Per sandbox: its exec starts and its pauses never overlap (freeze-gate.ts). */
  private readonly gates = new Map<string, FreezeGate>();
  readonly isolation: SandboxIsolation;

  constructor(private readonly options: DockerInDockerOptions) {
    this.docker = options.docker ?? new Docker();
    this.isolation = options.isolation ?? DEFAULT_ISOLATION;
    this.learner = learnerExec(this.isolation);
    this.relays = new TerminalRelays({
      address: (sandboxId) => this.addressOf(sandboxId),
      start: async (sandboxId, command, env) =>
        execCollect(await this.runningContainer(sandboxId), command, {
          user: this.learner.user,
          env,
          gate: this.gateOf(sandboxId),
        }),
      gate: (sandboxId) => this.gateOf(sandboxId),
    });
  }

  /**
   * Where the sandbox writes: the inner engine's data root and the learner's
   * home on the sandbox's own size-limited disk (or the data root on a volume
   * when there is no disk limit).
   */
  private async writableMounts(sandboxId: string, labels: Record<string, string>): Promise<Docker.MountSettings[]> {
    if (this.options.diskBytes) {
      const disk = await createDataDisk(sandboxId, this.options.diskBytes);
      return [
        { Type: "bind", Source: join(disk, DATA_DISK_PARTS.docker), Target: "/var/lib/docker" },
        { Type: "bind", Source: join(disk, DATA_DISK_PARTS.home), Target: "/root" },
      ];
    }
    await this.docker.createVolume({ Name: dataVolumeName(sandboxId), Labels: labels });
    return [{ Type: "volume", Source: dataVolumeName(sandboxId), Target: "/var/lib/docker" }];
  }

  get fleet(): string {
    return this.options.fleet ?? "default";
  }

  async create(request: CreateSandboxOptions, onProgress: ProgressListener = () => {}): Promise<Sandbox> {
    const id = request.id ?? newSandboxId();
    const createdAt = new Date();
    const labels = sandboxLabels(id, this.fleet);
    const { image, network } = this.options;
    const { isolation } = this;
    onProgress({ percent: 10, message: "Creating the sandbox" });
    const uids = isolation === "rootless" ? await reserveUidRange(this.docker) : undefined;
    try {
      const mounts = await this.writableMounts(id, labels);
      const settings = isolationContainerSettings(isolation, uids?.uidBase);
      const container = await this.docker.createContainer({
        name: containerName(id),
        Image: image,
        Hostname: "sandbox",
        Labels: uids ? { ...labels, [LABEL.uidBase]: String(uids.uidBase) } : labels,
        // A pooled sandbox does not know its lesson yet: its workspace is made when it is assigned.
        WorkingDir: DEFAULT_WORKSPACE,
        Env: settings.Env,
        HostConfig: {
          ...settings.HostConfig,
          Init: true,
          NetworkMode: network,
          ExtraHosts: this.options.registryAddress ? [`${SANDBOX_REGISTRY.host}:${this.options.registryAddress}`] : [],
          // In memory and sized: /run cannot take the sandbox's memory for itself, and
          // the learner's scratch places count against its memory, not the host's disk.
          Tmpfs: {
            "/run": "rw,nosuid,nodev,size=64m",
            "/tmp": "rw,nosuid,nodev,size=256m,mode=1777",
            "/var/tmp": "rw,nosuid,nodev,size=64m,mode=1777",
          },
          // The inner engine's data must not sit on the container's own overlay:
          // overlay-on-overlay falls back to the vfs driver, 20 times slower.
          Mounts: mounts,
          CpuShares: SANDBOX_CPU_SHARES.booting,
          ...this.containerLimits(request.limits),
        },
      });
      onProgress({ percent: 30, message: "Starting the sandbox" });
      await container.start();
      await this.bootAtIdlePriority(container, () => {
        onProgress({ percent: 50, message: "Waiting for the sandbox's Docker engine" });
        return this.waitForEngine(container, id);
      });
      const proxy = this.options.packageCacheProxy;
      if (proxy) await configurePackageCache(container, proxy, (command, options) => this.execAsLearner(container, command, options));
      await container.update({ CpuShares: SANDBOX_CPU_SHARES.running });
      const sandbox: Sandbox = { id, createdAt, state: "ready" };
      if (request.owner) {
        onProgress({ percent: 90, message: "Handing the sandbox over" });
        const expiresAt = request.expiresAt ?? new Date(Date.now() + (request.lifetimeSeconds ?? 3600) * 1000);
        const assignment: Assignment = { owner: request.owner, expiresAt, env: request.env ?? {} };
        if (request.idleLimit === false) assignment.idleLimit = false;
        if (request.workspace) assignment.workspace = request.workspace;
        sandbox.assignment = (await this.assign(id, assignment)).assignment;
      }
      onProgress({ percent: 100, message: "Ready" });
      return sandbox;
    } catch (error) {
      await this.destroy(id).catch(() => {});
      if (error instanceof EngineError) throw error;
      throw explainDockerError(error, { image, network });
    } finally {
      uids?.dispose();
    }
  }

  /**
   * The container's limits: what the request asks for, never above the
   * deployment's (the options'). No swap beyond the memory limit, so the
   * limit is the most the sandbox ever holds.
   */
  private containerLimits(requested: Partial<SandboxLimits> = {}): Docker.HostConfig {
    const memory = Math.min(requested.memoryBytes ?? this.options.memoryBytes, this.options.memoryBytes);
    return {
      Memory: memory,
      MemorySwap: memory,
      NanoCpus: Math.min(requested.nanoCpus ?? this.options.nanoCpus, this.options.nanoCpus),
      PidsLimit: Math.min(requested.pidsLimit ?? this.options.pidsLimit, this.options.pidsLimit),
    };
  }

  async assign(sandboxId: string, assignment: Assignment, limits?: Partial<SandboxLimits>): Promise<Sandbox> {
    const { container, paused, target } = await this.liveContainer(sandboxId);
    // A pooled sandbox was started with the deployment's limits; a workshop may ask for less.
    if (limits) await container.update(this.containerLimits(limits));
    if (assignment.workspace && assignment.workspace !== this.assignments.get(sandboxId)?.workspace) {
      await this.makeWorkspace(container, sandboxId, assignment.workspace, paused);
    }
    await saveAssignment(this.docker, sandboxId, assignment);
    this.assignments.set(sandboxId, assignment);
    const info = await this.call(target, "inspect", (abortSignal) => container.inspect({ abortSignal }));
    return { id: sandboxId, createdAt: new Date(info.Created), state: paused ? "paused" : "ready", assignment };
  }

  /** Creates an assignment's workspace folder for the learner, after checking it is one a lesson may have. */
  private async makeWorkspace(container: Docker.Container, sandboxId: string, workspace: string, paused: boolean): Promise<void> {
    const problem = workspaceProblem(workspace);
    if (problem) {
      throw new EngineError(`The workspace "${workspace}" ${problem}.`, "Give the lesson a workspace such as /root/lab.", "bad-request");
    }
    // A paused sandbox runs nothing: the folder is made when the shell opens there after the resume.
    if (paused) return;
    await this.place(container, sandboxId, [], [workspace]);
  }

  async placeFiles(sandboxId: string, files: readonly PlacedFile[]): Promise<void> {
    if (files.length > 0) await this.place(await this.runningContainer(sandboxId), sandboxId, files, []);
  }

  /** Runs the placement script as the container's root (placement.ts), handing what it makes to the learner. */
  private async place(container: Docker.Container, sandboxId: string, files: readonly PlacedFile[], folders: readonly string[]) {
    const stdin = placementStdin(files, folders);
    const owner = this.isolation === "rootless" ? LEARNER_USER : "root";
    const placed = await execCollect(container, ["bash", "-c", PLACE_FILES_SCRIPT, "drydock-place", owner], {
      stdin,
      user: "0",
      workingDir: "/",
      gate: this.gateOf(sandboxId),
    });
    if (placed.exitCode !== 0) {
      const done = placed.stdout.split("\n").filter(Boolean).length;
      const failed = [...folders, ...files.map((file) => file.path)][done] ?? "";
      throw new EngineError(
        `Sandbox ${sandboxId} could not place ${failed}: ${placed.stderr.trim() || `exit code ${placed.exitCode}`}.`,
        placed.exitCode === 3 ? "A folder on its way is a symlink or a file: choose another destination." : "Start a new session.",
        placed.exitCode === 3 ? "bad-request" : "sandbox-failed",
      );
    }
  }

  /** Where the sandbox's learner works: its assignment's workspace, or the default. */
  private workspaceOf(sandboxId: string): string {
    return this.assignments.get(sandboxId)?.workspace ?? DEFAULT_WORKSPACE;
  }

  /**
   * Runs `boot` with the sandbox's cgroup in the idle CPU class (cpu-idle.ts)
   * for at most SANDBOX_BOOT_IDLE_LIMIT_MS; from then on, and where the host
   * does not allow it, the boot runs at its low CPU weight alone.
   */
  private async bootAtIdlePriority(container: Docker.Container, boot: () => Promise<void>): Promise<void> {
    const pid = (await container.inspect()).State.Pid;
    const idle = await setCpuIdle(pid, true);
    const limit = idle ? setTimeout(() => void setCpuIdle(pid, false), SANDBOX_BOOT_IDLE_LIMIT_MS) : undefined;
    try {
      await boot();
    } finally {
      clearTimeout(limit);
    }
    if (idle) await setCpuIdle(pid, false);
  }

  private waitForEngine(container: Docker.Container, id: string): Promise<void> {
    return waitForInnerEngine(container, id, {
      answers: async () => (await this.execAsLearner(container, ["docker", "version", "--format", "{{.Server.Version}}"])).exitCode === 0,
      timeoutMs: this.options.engineReadyTimeoutMs ?? DEFAULT_ENGINE_READY_TIMEOUT_MS,
    });
  }

  /** Terminals go through the sandbox's relay (terminal/relays.ts), not through Docker: see terminal/terminal-relay.py. */
  async openShell(sandboxId: string, size: TtySize, options: ShellOptions = {}): Promise<TtySession> {
    return this.relays.open(sandboxId, {
      argv: this.learner.command(attachCommand(options, size)),
      env: [...this.envOf(sandboxId), "TERM=xterm-256color", "LANG=C.UTF-8", ...SHELL_INTEGRATION_ENV],
      cwd: this.workspaceOf(sandboxId),
      ...size,
    });
  }

  async exec(sandboxId: string, command: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const env = [...this.envOf(sandboxId), ...(options.env ?? [])];
    return this.execAsLearner(await this.runningContainer(sandboxId), command, {
      workingDir: this.workspaceOf(sandboxId),
      ...options,
      env,
      gate: this.gateOf(sandboxId),
    });
  }

  /** Every command the engine runs in a sandbox runs as the learner would: in rootless mode, root of its user namespace. */
  private execAsLearner(container: Docker.Container, command: string[], options: ExecOptions = {}): Promise<ExecResult> {
    return execCollect(container, this.learner.command(command), { ...options, user: this.learner.user });
  }

  async runCheck(sandboxId: string, script: string, options: Partial<CheckOptions> = {}): Promise<CheckOutcome> {
    const limits = { ...DEFAULT_CHECK_OPTIONS, ...options };
    const started = performance.now();
    const run = await this.exec(sandboxId, checkCommand(limits.timeoutMs), { stdin: script, maxOutputBytes: limits.maxOutputBytes });
    return interpretCheck(run, limits, Math.round(performance.now() - started));
  }

  async pause(sandboxId: string): Promise<void> {
    const { container, paused, target } = await this.liveContainer(sandboxId);
    if (paused) return;
    try {
      await this.changingFreezer(sandboxId, () => this.call(target, "pause", (abortSignal) => container.pause({ abortSignal })));
    } catch (error) {
      // runc gives up on a cgroup it cannot freeze (a process in it the freezer cannot stop) and thaws it back;
      // looking again thaws whatever a failed pause left frozen while Docker says it runs.
      await this.liveContainer(sandboxId).catch(() => {});
      if (error instanceof EngineError) throw error;
      throw new EngineError(
        `Sandbox ${sandboxId} (container ${target.containerId}) could not be paused: ${error instanceof Error ? error.message : String(error)}.`,
        "It runs on as it was. A process in it may be waiting on a filesystem and could not be frozen: try again in a moment.",
        "sandbox-failed",
        { cause: error },
      );
    }
  }

  async resume(sandboxId: string): Promise<void> {
    const { container, paused, target } = await this.liveContainer(sandboxId);
    if (!paused) return;
    await this.changingFreezer(sandboxId, async () => {
      const unpause = () => this.call(target, "unpause", (abortSignal) => container.unpause({ abortSignal }));
      await unpause().catch(async (error: unknown) => {
        // Docker says paused but runc finds the cgroup thawed (thawed behind Docker's back: by hand, or by the
        // engine when a call on it timed out). Docker unpauses only from frozen: freeze it back, then ask again.
        const why = error instanceof Error ? error.message : String(error);
        const freezer = /not paused/i.test(why) ? await freezerOf(target.containerId) : undefined;
        if (!freezer || !(await freezeFreezer(freezer))) throw error;
        (this.options.onWarning ?? warnOnStderr)("sandbox.freezer_refrozen", { ...target, why, file: freezer.file });
        await unpause();
      });
      // Docker says it unpaused: a cgroup still frozen would leave every shell and exec in it stalled.
      await thawIfFrozen(target, "Docker unpaused it", this.options.onWarning);
    });
  }

  /**
   * Runs a pause or resume of the sandbox once no exec is starting in it
   * (freeze-gate.ts); meanwhile its freezer is expected to be in motion.
   */
  private changingFreezer<T>(sandboxId: string, change: () => Promise<T>): Promise<T> {
    return this.gateOf(sandboxId).freeze(async () => {
      this.freezing.add(sandboxId);
      try {
        return await change();
      } finally {
        this.freezing.delete(sandboxId);
      }
    });
  }

  private gateOf(sandboxId: string): FreezeGate {
    let gate = this.gates.get(sandboxId);
    if (!gate) {
      gate = new FreezeGate();
      this.gates.set(sandboxId, gate);
    }
    return gate;
  }

  /** A Docker call on a sandbox container that may be frozen: within a deadline, thawed and tried again once past it. */
  private call<T>(target: SandboxContainer, what: string, run: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    return callThawingOnTimeout(target, what, run, this.frozenCalls);
  }

  private get frozenCalls(): FrozenCallOptions {
    return { timeoutMs: this.options.dockerCallTimeoutMs, warn: this.options.onWarning };
  }

  async destroy(sandboxId: string): Promise<void> {
    await removeSandbox(this.docker, sandboxId, this.frozenCalls);
    this.assignments.delete(sandboxId);
    this.gates.delete(sandboxId);
  }

  removeOrphans(): Promise<RemovedOrphans> {
    return removeOrphans(this.docker);
  }

  async list(): Promise<Sandbox[]> {
    const [containers, assignments] = await Promise.all([
      this.docker.listContainers({ all: true, filters: sandboxFilter({ fleet: this.fleet }) }),
      loadAssignments(this.docker),
    ]);
    this.assignments.clear();
    for (const [id, assignment] of assignments) this.assignments.set(id, assignment);
    // What an agent adopts after a restart, and what its sweeper sees: running, as Docker says, and so not frozen.
    await Promise.all(containers.filter((info) => info.State === "running").map((info) => this.thawIfLost(info)));
    return containers.map((info) => {
      const id = info.Labels[LABEL.sandboxId] ?? "";
      const assignment = assignments.get(id);
      return {
        id,
        createdAt: new Date(info.Created * 1000),
        state: info.State === "running" ? "ready" : info.State === "paused" ? "paused" : "gone",
        ...(assignment ? { assignment } : {}),
      };
    });
  }

  /** The learner's environment for processes the engine starts in the sandbox. */
  private envOf(sandboxId: string): string[] {
    return Object.entries(this.assignments.get(sandboxId)?.env ?? {}).map(([name, value]) => `${name}=${value}`);
  }

  async listPorts(sandboxId: string): Promise<ListeningPort[]> {
    const scan = await this.execAsLearner(await this.runningContainer(sandboxId), ["bash", "-c", PORT_SCAN_SCRIPT], {
      gate: this.gateOf(sandboxId),
    });
    return parsePortScan(scan.stdout);
  }

  watchPorts(sandboxId: string, watcher: PortsWatcher): Disposable {
    return this.portPolling.watch(sandboxId, watcher);
  }

  /** Docker's events for this fleet's sandbox containers (died, removed, killed, out of memory), until disposed. */
  watchEvents(watcher: SandboxEventsWatcher): Disposable {
    return watchSandboxEvents(this.docker, this.fleet, watcher);
  }

  async listImages(sandboxId: string): Promise<ImagesSnapshot> {
    const scan = await this.execAsLearner(await this.runningContainer(sandboxId), ["bash", "-c", IMAGE_SCAN_SCRIPT], {
      maxOutputBytes: IMAGE_SCAN_MAX_BYTES,
      gate: this.gateOf(sandboxId),
    });
    return imagesSnapshot(parseImageScan(scan.stdout));
  }

  watchImages(sandboxId: string, watcher: ImagesWatcher): ImageWatch {
    return watchImages(
      {
        scan: () => this.listImages(sandboxId),
        events: async () =>
          execStream(await this.runningContainer(sandboxId), this.learner.command(["bash", "-c", IMAGE_EVENTS_SCRIPT]), {
            user: this.learner.user,
            gate: this.gateOf(sandboxId),
          }),
      },
      watcher,
    );
  }

  /** Where this host reaches a port of the sandbox: its container's address on the sandbox network. */
  async portEndpoint(sandboxId: string, port: number): Promise<PortEndpoint> {
    return { host: await this.addressOf(sandboxId), port };
  }

  files(sandboxId: string): SandboxFiles {
    return new ExecSandboxFiles(
      {
        exec: (command, options) => this.exec(sandboxId, command, { ...options, workingDir: "/" }),
        stream: async (command) =>
          execStream(await this.runningContainer(sandboxId), this.learner.command(command), {
            workingDir: "/",
            user: this.learner.user,
            gate: this.gateOf(sandboxId),
          }),
      },
      this.workspaceOf(sandboxId),
      this.options.files,
    );
  }

  /** The sandbox's container when it runs and is not paused: nothing can be started in a frozen one. */
  private async runningContainer(sandboxId: string): Promise<Docker.Container> {
    const { container, paused } = await this.liveContainer(sandboxId);
    if (paused) throw pausedError(sandboxId);
    return container;
  }

  /** The running sandbox's address on the sandbox network, which the host (and so the agent) can reach. */
  private async addressOf(sandboxId: string): Promise<string> {
    const { paused, address } = await this.liveContainer(sandboxId);
    if (paused) throw pausedError(sandboxId);
    if (!address) {
      throw new EngineError(
        `Sandbox ${sandboxId} has no address on the network ${this.options.network}.`,
        "Start a new session; if it happens again, check the network with `npm run provision`.",
        "sandbox-failed",
      );
    }
    return address;
  }

  /**
   * The sandbox's container while it runs, paused or not (Docker lists paused
   * containers among the running). Docker's list never waits on a frozen
   * container; one Docker says runs but whose cgroup is frozen is thawed.
   */
  private async liveContainer(
    sandboxId: string,
  ): Promise<{ container: Docker.Container; paused: boolean; target: SandboxContainer; address?: string }> {
    const [info] = await this.docker.listContainers({ filters: sandboxFilter({ sandboxId }) });
    if (!info) {
      throw new EngineError(`Sandbox ${sandboxId} is not running.`, "Start a new session.", "sandbox-not-found");
    }
    const paused = info.State === "paused";
    if (!paused) await this.thawIfLost(info);
    const address = info.NetworkSettings?.Networks?.[this.options.network]?.IPAddress || undefined;
    return { container: this.docker.getContainer(info.Id), paused, target: { containerId: info.Id, sandboxId }, address };
  }

  /**
   * Thaws a container Docker says runs whose cgroup is frozen or freezing:
   * a freeze Docker lost track of, which stalls every shell and exec in it and,
   * stuck FREEZING, blocks Docker's own calls on it. Not while this driver is
   * pausing or resuming it.
   */
  private async thawIfLost(info: Docker.ContainerInfo): Promise<void> {
    const sandboxId = info.Labels[LABEL.sandboxId];
    if (sandboxId && this.freezing.has(sandboxId)) return;
    await thawIfFrozen({ containerId: info.Id, sandboxId }, "Docker says it runs", this.options.onWarning);
  }
}

function pausedError(sandboxId: string): EngineError {
  return new EngineError(
    `Sandbox ${sandboxId} is paused: everything in it is kept, frozen where it stood.`,
    "It carries on once it is resumed (by the workshop's instructor).",
    "sandbox-paused",
  );
}

export function newSandboxId(): string {
  return `sbx_${randomBytes(8).toString("hex")}`;
}
