/**
 * One long-running service of the one-machine cluster (PostgreSQL, Redis,
 * HAProxy, a web node, an agent): started in a process group of its own (so
 * a SIGKILL takes its children with it, as a dying machine would), its
 * output appended to a log file, ready when its own probe says so. It can be
 * killed with any signal and started again on the same ports and data.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";

export interface ProcessSpec {
  /** The service's name in the cluster (web1, a2, postgres…); it names the log file's lines in errors. */
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this user and group (PostgreSQL refuses to run as root). */
  uid?: number;
  gid?: number;
  logFile: string;
  /** Resolves true once the service answers as its clients need it to. */
  ready(): Promise<boolean>;
  readyTimeoutMs?: number;
  /** What asks it to stop cleanly (SIGTERM; PostgreSQL's SIGTERM waits for every client to leave, its SIGINT does not). */
  stopSignal?: NodeJS.Signals;
}

export interface SupervisedProcess {
  readonly name: string;
  readonly logFile: string;
  /** The pid of its process group's leader while it runs. */
  pid(): number | undefined;
  running(): boolean;
  /** Starts it and resolves once it is ready; rejects with the end of its log if it exits or never gets ready. */
  start(): Promise<void>;
  /** Sends `signal` to its whole process group and resolves once every process of the group is gone. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Its stop signal (SIGTERM), then SIGKILL for what still runs after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** The last lines of its log, for an error message. */
  logTail(lines?: number): Promise<string>;
}

const POLL_MS = 100;

export function superviseProcess(spec: ProcessSpec): SupervisedProcess {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const logTail = async (lines = 30) => {
    const text = await readFile(spec.logFile, "utf8").catch(() => "");
    return text
      .split("\n")
      .slice(-lines - 1)
      .join("\n");
  };

  const start = async () => {
    if (running()) throw new Error(`${spec.name} is already running (pid ${child?.pid})`);
    const log = openSync(spec.logFile, "a");
    try {
      child = spawn(spec.command, spec.args, {
        cwd: spec.cwd,
        env: spec.env,
        uid: spec.uid,
        gid: spec.gid,
        stdio: ["ignore", log, log],
        detached: true,
      });
    } finally {
      closeSync(log);
    }
    const started = child;
    exited = new Promise((resolve) => started.once("exit", () => resolve()));
    const spawnError = new Promise<Error>((resolve) => started.once("error", resolve));
    const deadline = Date.now() + (spec.readyTimeoutMs ?? 120_000);
    for (;;) {
      const failure = await Promise.race([spawnError, pause(POLL_MS).then(() => undefined)]);
      if (failure) throw new Error(`${spec.name} could not start (${spec.command}): ${failure.message}`);
      if (!running()) {
        // What it started before dying (a server's workers) must not outlive it.
        if (started.pid !== undefined) await kill("SIGKILL");
        throw new Error(
          `${spec.name} exited (${started.exitCode ?? started.signalCode}) before it was ready; the end of ${spec.logFile}:\n${await logTail()}`,
        );
      }
      if (await spec.ready().catch(() => false)) return;
      if (Date.now() > deadline) {
        await kill("SIGKILL");
        throw new Error(
          `${spec.name} was not ready within ${(spec.readyTimeoutMs ?? 120_000) / 1000} s; the end of ${spec.logFile}:\n${await logTail()}`,
        );
      }
    }
  };

  const kill = async (signal: NodeJS.Signals) => {
    const pid = child?.pid;
    if (pid === undefined) return;
    signalGroup(pid, signal);
    if (signal === "SIGKILL" || signal === "SIGTERM" || signal === "SIGINT") {
      await exited;
      await groupGone(pid);
    }
  };

  const stop = async (graceMs = 15_000) => {
    const pid = child?.pid;
    if (pid === undefined || !groupAlive(pid)) return;
    signalGroup(pid, spec.stopSignal ?? "SIGTERM");
    const deadline = Date.now() + graceMs;
    while (groupAlive(pid) && Date.now() < deadline) await pause(POLL_MS);
    if (groupAlive(pid)) signalGroup(pid, "SIGKILL");
    await exited;
    await groupGone(pid);
  };

  return {
    name: spec.name,
    logFile: spec.logFile,
    pid: () => (running() ? child?.pid : undefined),
    running,
    start,
    kill,
    stop,
    logTail,
  };
}

/** Signals every process of the group `pgid` leads; a group already gone is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

/**
 * Whether a live process of the group is left. Read from /proc rather than
 * with kill(-pgid, 0), which also counts zombies that an orphaned child
 * leaves until init reaps them.
 */
export function groupAlive(pgid: number): boolean {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (!stat) continue;
    // After the command's name in parentheses: state, ppid, pgrp, ...
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(pgrp) === pgid && state !== "Z" && state !== "X") return true;
  }
  return false;
}

function readStat(pid: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined; // It exited while the folder was read.
  }
}

/** Waits until no process of the group is left (a killed PostgreSQL's backends go a moment after their postmaster). */
export async function groupGone(pgid: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) throw new Error(`process group ${pgid} still has processes ${timeoutMs / 1000} s after its signal`);
    await pause(POLL_MS);
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
