/**
 * A throwaway Redis for tests and tools: Debian's `redis-server` (package
 * `redis-server`, on PATH) as a child process on 127.0.0.1, with no
 * persistence (`--save ''`, `--appendonly no`) and its working folder in a
 * temporary directory that `stop()` deletes. Never the system service.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { redisCommand } from "../scripts/cluster/redis";

const START_TIMEOUT_MS = 30_000;

export interface RedisOptions {
  /** TCP port on 127.0.0.1 (each test file uses one of its own). */
  port: number;
}

export interface RunningRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /**
   * Kills the server (SIGKILL: clients see the connection drop, as when the
   * machine dies) and starts it again on the same port, empty. `whileDown`
   * runs in between, for a test of what happens while Redis is away.
   */
  restart(options?: { whileDown?: () => Promise<void> }): Promise<void>;
  /** Stops the server and deletes its folder. Idempotent. */
  stop(): Promise<void>;
  /** The server's output so far, for a failure's message. */
  log(): string;
}

/** Starts a private Redis and resolves once it answers PING. */
export async function startRedis({ port }: RedisOptions): Promise<RunningRedis> {
  const dir = await mkdtemp(join(tmpdir(), "drydock-redis-"));
  let output = "";
  let server: ChildProcess | undefined;

  const launch = async () => {
    const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no"];
    const started = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-20_000);
    };
    started.stdout?.on("data", keep);
    started.stderr?.on("data", keep);
    const failed = new Promise<never>((_, reject) => {
      started.once("error", (error) =>
        reject(new Error(`redis-server could not be run (install the Debian package redis-server): ${error.message}`)),
      );
      started.once("exit", (code) => reject(new Error(`redis-server exited with ${code} before answering on port ${port}:\n${output}`)));
    });
    failed.catch(() => undefined);
    server = started;
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await answersPing(port))) {
      if (Date.now() > deadline)
        throw new Error(`redis-server did not answer PING on port ${port} within ${START_TIMEOUT_MS / 1000} s:\n${output}`);
      await Promise.race([failed, new Promise((resolve) => setTimeout(resolve, 50))]);
    }
  };

  const halt = async (signal: NodeJS.Signals) => {
    const running = server;
    server = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill(signal);
    await exited;
  };

  const stop = async () => {
    await halt("SIGTERM");
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await launch();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async restart({ whileDown } = {}) {
      await halt("SIGKILL");
      await whileDown?.();
      await launch();
    },
    stop,
    log: () => output,
  };
}

/** Whether a Redis on the port answers PING. */
function answersPing(port: number): Promise<boolean> {
  return redisCommand(port, ["PING"], 1_000).then(
    (answer) => answer === "+PONG",
    () => false,
  );
}
