import type { Duplex } from "node:stream";
import type { CheckOutcome, ImagesSnapshot } from "@drydock/protocol";
import type { Assignment } from "./assignments";
import type { CheckOptions } from "./checks";
import type { Disposable } from "./disposable";
import type { SandboxEventsWatcher } from "./events";
import type { ExecOptions, ExecResult } from "./exec";
import type { SandboxFiles } from "./files";
import type { ImagesWatcher, ImageWatch } from "./images";
import type { PlacedFile } from "./placement";
import type { ListeningPort, PortEndpoint, PortsWatcher } from "./ports";
import type { RemovedOrphans } from "./removal";

/**
 * How a sandbox is made is hidden behind this small interface: Docker-in-Docker
 * on the agent's host is the first driver; stronger isolation or other
 * schedulers are further drivers, not rewrites.
 */
export interface SandboxDriver {
  /** Creates and starts a sandbox; with an owner it is assigned at once, without one it waits in the warm pool. */
  create(request: CreateSandboxOptions, onProgress?: ProgressListener): Promise<Sandbox>;
  /**
   * Gives a sandbox (typically a pooled one) to a learner, lowering its limits
   * to `limits` if given; also records a changed assignment (a new end, a pause).
   */
  assign(sandboxId: string, assignment: Assignment, limits?: Partial<SandboxLimits>): Promise<Sandbox>;
  /** Attaches to a named, persistent terminal (a tmux session), creating it on first use. */
  openShell(sandboxId: string, size: TtySize, options?: ShellOptions): Promise<TtySession>;
  /** Runs a command to completion (no TTY) and collects its output. */
  exec(sandboxId: string, command: string[], options?: ExecOptions): Promise<ExecResult>;
  /** Runs a lesson check script with a time limit and an output cap. */
  runCheck(sandboxId: string, script: string, options?: Partial<CheckOptions>): Promise<CheckOutcome>;
  /**
   * Freezes every process of the sandbox (its shells, its inner engine and
   * its containers) where it stands, memory kept; nothing runs until
   * `resume`. A no-op for a sandbox already paused.
   */
  pause(sandboxId: string): Promise<void>;
  /** Thaws a paused sandbox: everything carries on where it stopped. A no-op for a running one. */
  resume(sandboxId: string): Promise<void>;
  /** Removes the sandbox's container, data volume, data disk and assignment; a no-op for an unknown id. */
  destroy(sandboxId: string): Promise<void>;
  list(): Promise<Sandbox[]>;
  /** Removes data disks and volumes whose sandbox has no container in any fleet, once past a grace age (removal.ts). */
  removeOrphans(): Promise<RemovedOrphans>;
  /** TCP ports listening in the sandbox: its own processes' and the ports its inner engine publishes. */
  listPorts(sandboxId: string): Promise<ListeningPort[]>;
  /** Reports the sandbox's ports as they appear and disappear, polling only while watched, until disposed. */
  watchPorts(sandboxId: string, watcher: PortsWatcher): Disposable;
  /** Reports what happens to this fleet's sandbox containers (one died or was removed: the sandbox is lost), until disposed. */
  watchEvents(watcher: SandboxEventsWatcher): Disposable;
  /** The images in the sandbox's own engine, as stacks of layers (images/model.ts). */
  listImages(sandboxId: string): Promise<ImagesSnapshot>;
  /** Reports the sandbox's images after every image event of its engine (build, pull, tag, removal), until disposed. */
  watchImages(sandboxId: string, watcher: ImagesWatcher): ImageWatch;
  /** Where this host reaches a port of the sandbox (previews are proxied there). */
  portEndpoint(sandboxId: string, port: number): Promise<PortEndpoint>;
  /** The workspace's files: list, read, write, create, rename, delete, watch; confined to the workspace. */
  files(sandboxId: string): SandboxFiles;
  /**
   * Places a lesson's files anywhere in the sandbox (absolute paths: a tool in
   * /usr/local/bin), byte for byte with their modes, as the engine and not as
   * the learner, and gives them to the learner. For the control plane's
   * lessons only, never for anything a learner sends (placement.ts).
   */
  placeFiles(sandboxId: string, files: readonly PlacedFile[]): Promise<void>;
}

export interface CreateSandboxOptions {
  /** The id to give it (so callers can report progress under it); a fresh one by default. */
  id?: string;
  /** Who the sandbox is for; without one it is created unassigned, for the warm pool. */
  owner?: string;
  /** How long an owned sandbox may live before the reaper removes it. */
  lifetimeSeconds?: number;
  /** When an owned sandbox's time ends; wins over `lifetimeSeconds`. */
  expiresAt?: Date;
  /** false: an owned sandbox that is never removed for being idle. */
  idleLimit?: false;
  /** Environment of every process the engine starts in the sandbox (its shells, execs and checks). */
  env?: Record<string, string>;
  /** Lower limits than the deployment's (a workshop's); values above the deployment's are capped to them. */
  limits?: Partial<SandboxLimits>;
  /** An owned sandbox's workspace (default /root/lab): created, and where shells start, checks run and files are. */
  workspace?: string;
}

/** What a sandbox may use, everything started inside it included. */
export interface SandboxLimits {
  memoryBytes: number;
  nanoCpus: number;
  pidsLimit: number;
}

export interface Sandbox {
  id: string;
  createdAt: Date;
  /** "gone" when its container no longer runs; "paused" while frozen (see `pause`). */
  state: "ready" | "paused" | "gone";
  /** Absent while the sandbox waits in the warm pool. */
  assignment?: Assignment;
}

export interface ShellOptions {
  /** The terminal's name: several terminals per sandbox, each its own shell. */
  terminal?: string;
  /** A watcher sees the terminal but cannot type or resize it. */
  readOnly?: boolean;
}

export interface Progress {
  percent: number;
  message: string;
}
export type ProgressListener = (progress: Progress) => void;

export interface TtySize {
  cols: number;
  rows: number;
}

/** A shell on a TTY inside a sandbox. One owner calls dispose() (it detaches; the shell lives on); it is safe to call twice. */
export interface TtySession extends Disposable {
  /** Raw TTY bytes out, keystrokes in. */
  readonly stream: Duplex;
  resize(size: TtySize): Promise<void>;
}
