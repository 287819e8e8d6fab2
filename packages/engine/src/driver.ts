import type { Duplex } from "node:stream";
import type { Assignment } from "./assignments";
import type { CheckOptions, CheckResult } from "./checks";
import type { ExecOptions, ExecResult } from "./exec";
import type { SandboxFiles } from "./files";
import type { ListeningPort, PortEndpoint, PortsWatcher } from "./ports";

/**
 * How a sandbox is made is hidden behind this small interface: Docker-in-Docker
 * on the agent's host is the first driver; stronger isolation or other
 * schedulers are further drivers, not rewrites.
 */
export interface SandboxDriver {
  /** Creates and starts a sandbox; with an owner it is assigned at once, without one it waits in the warm pool. */
  create(request: CreateSandboxOptions, onProgress?: ProgressListener): Promise<Sandbox>;
  /** Gives a sandbox (typically a pooled one) to a learner, lowering its limits to `limits` if given. */
  assign(sandboxId: string, assignment: Assignment, limits?: Partial<SandboxLimits>): Promise<Sandbox>;
  /** Attaches to a named, persistent terminal (a tmux session), creating it on first use. */
  openShell(sandboxId: string, size: TtySize, options?: ShellOptions): Promise<TtySession>;
  /** Runs a command to completion (no TTY) and collects its output. */
  exec(sandboxId: string, command: string[], options?: ExecOptions): Promise<ExecResult>;
  /** Runs a lesson check script with a time limit and an output cap. */
  runCheck(sandboxId: string, script: string, options?: Partial<CheckOptions>): Promise<CheckResult>;
  destroy(sandboxId: string): Promise<void>;
  list(): Promise<Sandbox[]>;
  /** TCP ports listening in the sandbox: its own processes' and the ports its inner engine publishes. */
  listPorts(sandboxId: string): Promise<ListeningPort[]>;
  /** Reports the sandbox's ports as they appear and disappear, polling only while watched; returns the unsubscribe. */
  watchPorts(sandboxId: string, watcher: PortsWatcher): () => void;
  /** Where this host reaches a port of the sandbox (previews are proxied there). */
  portEndpoint(sandboxId: string, port: number): Promise<PortEndpoint>;
  /** The workspace's files: list, read, write, create, rename, delete, watch; confined to the workspace. */
  files(sandboxId: string): SandboxFiles;
}

export interface CreateSandboxOptions {
  /** The id to give it (so callers can report progress under it); a fresh one by default. */
  id?: string;
  /** Who the sandbox is for; without one it is created unassigned, for the warm pool. */
  owner?: string;
  /** How long an owned sandbox may live before the reaper removes it. */
  lifetimeSeconds?: number;
  /** Environment of every process the engine starts in the sandbox (its shells, execs and checks). */
  env?: Record<string, string>;
  /** Lower limits than the deployment's (a workshop's); values above the deployment's are capped to them. */
  limits?: Partial<SandboxLimits>;
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
  /** "gone" when its container no longer runs. */
  state: "ready" | "gone";
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

/** A shell on a TTY inside a sandbox. One owner calls dispose(); it is safe to call twice. */
export interface TtySession {
  /** Raw TTY bytes out, keystrokes in. */
  readonly stream: Duplex;
  resize(size: TtySize): Promise<void>;
  dispose(): void;
}
