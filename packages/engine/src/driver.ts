import type { Duplex } from "node:stream";
import type { CheckOptions, CheckResult } from "./checks";
import type { ExecOptions, ExecResult } from "./exec";

/**
 * How a sandbox is made is hidden behind this small interface: Docker-in-Docker
 * on the agent's host is the first driver; stronger isolation or other
 * schedulers are further drivers, not rewrites.
 */
export interface SandboxDriver {
  create(request: CreateSandboxOptions, onProgress?: ProgressListener): Promise<Sandbox>;
  openShell(sandboxId: string, size: TtySize): Promise<TtySession>;
  /** Runs a command to completion (no TTY) and collects its output. */
  exec(sandboxId: string, command: string[], options?: ExecOptions): Promise<ExecResult>;
  /** Runs a lesson check script with a time limit and an output cap. */
  runCheck(sandboxId: string, script: string, options?: Partial<CheckOptions>): Promise<CheckResult>;
  destroy(sandboxId: string): Promise<void>;
  list(): Promise<Sandbox[]>;
}

export interface CreateSandboxOptions {
  owner: string;
  /** How long the sandbox may live before the reaper removes it. */
  lifetimeSeconds: number;
  /** Environment of every process in the sandbox (its shells, execs and checks). */
  env?: Record<string, string>;
}

export interface Sandbox {
  id: string;
  owner: string;
  createdAt: Date;
  expiresAt: Date;
  state: "starting" | "ready" | "gone";
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
