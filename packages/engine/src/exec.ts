import { type Duplex, PassThrough, type Readable } from "node:stream";
import type Docker from "dockerode";
import { type Disposable, toDisposable } from "./disposable";
import type { FreezeGate } from "./freeze-gate";

export interface ExecOptions {
  env?: string[];
  workingDir?: string;
  /** The container user to run as (default: the container's, root). */
  user?: string;
  /** Written to the command's stdin, which is then closed. */
  stdin?: string | Buffer;
  /** Output beyond this many bytes per stream is dropped and `truncated` is set. */
  maxOutputBytes?: number;
  /** The sandbox's freeze gate (freeze-gate.ts): held until the command runs, so a pause never catches it half-started. */
  gate?: FreezeGate;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  truncated: boolean;
}

const DEFAULT_MAX_OUTPUT = 1024 * 1024;

/** Collects a stream's bytes up to a cap, remembering whether it overflowed. */
class CappedBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  overflowed = false;

  constructor(private readonly cap: number) {}

  push(chunk: Buffer): void {
    const room = this.cap - this.size;
    if (chunk.length > room) this.overflowed = true;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(kept);
    this.size += kept.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

/** How long Docker may take to have an exec's process running before the gate lets a pause go ahead regardless. */
const EXEC_START_WAIT_MS = 10_000;

/**
 * Creates and starts an exec. With a freeze gate, holds it until Docker has
 * the process running (or finished): Docker answers a hijacked start before
 * runc has started the process, and a pause in between freezes it half-started.
 */
export async function startExec(
  container: Docker.Container,
  create: Docker.ExecCreateOptions,
  start: Docker.ExecStartOptions,
  gate?: FreezeGate,
): Promise<{ exec: Docker.Exec; stream: Duplex }> {
  const leave = await gate?.enter();
  try {
    const exec = await container.exec(create);
    const stream = (await exec.start(start)) as Duplex;
    if (leave) await untilRunning(exec);
    return { exec, stream };
  } finally {
    leave?.();
  }
}

async function untilRunning(exec: Docker.Exec): Promise<void> {
  const deadline = Date.now() + EXEC_START_WAIT_MS;
  while (Date.now() < deadline) {
    const info = await exec.inspect();
    if (info.Running || info.ExitCode !== null) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Runs a command to completion inside a container and collects its output. */
export async function execCollect(container: Docker.Container, cmd: string[], options: ExecOptions = {}): Promise<ExecResult> {
  const hasStdin = options.stdin !== undefined;
  const { exec, stream } = await startExec(
    container,
    {
      Cmd: cmd,
      AttachStdin: hasStdin,
      AttachStdout: true,
      AttachStderr: true,
      Env: options.env,
      WorkingDir: options.workingDir,
      User: options.user,
    },
    { hijack: true, stdin: hasStdin },
    options.gate,
  );
  const cap = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const out = new CappedBuffer(cap);
  const err = new CappedBuffer(cap);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on("data", (chunk: Buffer) => out.push(chunk));
  stderr.on("data", (chunk: Buffer) => err.push(chunk));
  container.modem.demuxStream(stream, stdout, stderr);
  const finished = new Promise<void>((resolve, reject) => {
    // demuxStream never ends its outputs: the source's end is the signal.
    stream.on("end", resolve);
    stream.on("close", resolve);
    stream.on("error", reject);
  });
  if (hasStdin) stream.end(options.stdin);
  await finished;
  const { ExitCode } = await exec.inspect();
  return { exitCode: ExitCode ?? -1, stdout: out.text(), stderr: err.text(), truncated: out.overflowed || err.overflowed };
}

/** A command whose output is read as it comes, for commands that run until stopped. */
export interface ExecStream extends Disposable {
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Resolves with the exit code once the command has ended (-1 when Docker cannot tell). */
  readonly exited: Promise<number>;
  /**
   * dispose() closes the connection, and with it the command's stdin. Docker
   * does not stop an exec whose client went away: the command must end on that EOF.
   */
}

/** Starts a command inside a container with its stdin attached and streams its output. */
export async function execStream(
  container: Docker.Container,
  cmd: string[],
  options: Omit<ExecOptions, "stdin" | "maxOutputBytes"> = {},
): Promise<ExecStream> {
  const { exec, stream } = await startExec(
    container,
    {
      Cmd: cmd,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Env: options.env,
      WorkingDir: options.workingDir,
      User: options.user,
    },
    { hijack: true, stdin: true },
    options.gate,
  );
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  container.modem.demuxStream(stream, stdout, stderr);
  const exited = new Promise<number>((resolve) => {
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      // demuxStream never ends its outputs: the source's end is the signal.
      stdout.end();
      stderr.end();
      exec.inspect().then(
        (info) => resolve(info.ExitCode ?? -1),
        () => resolve(-1),
      );
    };
    stream.on("end", end);
    stream.on("close", end);
    stream.on("error", end);
  });
  return { stdout, stderr, exited, ...toDisposable(() => stream.destroy()) };
}
