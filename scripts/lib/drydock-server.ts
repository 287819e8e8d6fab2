/**
 * A real Drydock (web app and agent, scripts/serve.sh) on given ports with a
 * fleet and a database of its own, for integration tests and benchmarks that
 * go through the web app as a browser would. Needs the web build
 * (scripts/lib/prepare.sh prepare_web_build). stop() removes every sandbox
 * of the fleet.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { LABEL, removeFleet, sandboxFilter } from "@drydock/engine";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "../..");

export interface DrydockOptions {
  webPort: number;
  agentPort: number;
  fleet: string;
  /** More environment for both (limits, pool size). */
  env?: Record<string, string>;
}

export interface RunningDrydock {
  base: string;
  /** Its own database (migrated), for tests that set up rows the API does not make. */
  databaseUrl: string;
  agentUrl: string;
  fleet: string;
  /** What the web app and the agent wrote to stderr so far (their JSON logs), for a failure's message. */
  log(): string;
  /**
   * Stops the web app and the agent with `signal` (SIGKILL: no chance to tidy
   * up) and starts them again on the same database and fleet; the sandboxes
   * run on and the restarted agent adopts them. Resolves once both answer.
   */
  restart(signal: "SIGTERM" | "SIGKILL"): Promise<void>;
  stop(): Promise<void>;
}

export async function startDrydock(options: DrydockOptions): Promise<RunningDrydock> {
  const state = await mkdtemp(join(tmpdir(), "drydock-server-"));
  const databaseUrl = `file:${join(state, "drydock.db")}`;
  await run("npx", ["tsx", "prisma/migrate.ts"], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl } });
  const base = `http://127.0.0.1:${options.webPort}`;
  const agentUrl = `http://127.0.0.1:${options.agentPort}`;
  let stderr = "";
  const launch = (): ChildProcess => {
    const started = spawn("bash", ["scripts/serve.sh"], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        WEB_PORT: String(options.webPort),
        WEB_HOST: "127.0.0.1",
        AGENT_PORT: String(options.agentPort),
        AGENT_URL: agentUrl,
        AGENT_FLEET: options.fleet,
        NODE_ENV: "production",
        ...options.env,
      },
      stdio: ["ignore", "ignore", "pipe"],
      detached: true,
    });
    started.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-20_000);
    });
    return started;
  };
  let server = launch();
  const halt = async (signal: NodeJS.Signals) => {
    if (server.pid && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once("exit", resolve));
      process.kill(-server.pid, signal);
      await exited;
    }
  };
  const answering = async () => {
    const deadline = Date.now() + 180_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`serve.sh exited with ${server.exitCode}:\n${stderr}`);
      const up = await Promise.all([fetch(base), fetch(`${agentUrl}/healthz`)]).then(
        (answers) => answers.every((answer) => answer.ok),
        () => false,
      );
      if (up) return;
      if (Date.now() > deadline) throw new Error(`Drydock did not answer on ${base} within 180 s:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  const stop = async () => {
    await halt("SIGTERM");
    await removeFleet(options.fleet);
    await rm(state, { recursive: true, force: true });
  };
  const restart = async (signal: "SIGTERM" | "SIGKILL") => {
    await halt(signal);
    server = launch();
    await answering();
  };
  try {
    await answering();
  } catch (error) {
    await stop();
    throw error;
  }
  return { base, databaseUrl, agentUrl, fleet: options.fleet, log: () => stderr, restart, stop };
}

/** The fleet's sandbox containers as the Docker engine lists them (running or not): the ground truth of what was started. */
export async function fleetSandboxes(fleet: string): Promise<string[]> {
  const filters = sandboxFilter({ fleet }).label.flatMap((label) => ["--filter", `label=${label}`]);
  const { stdout } = await run("docker", ["ps", "--all", "--format", `{{.Label "${LABEL.sandboxId}"}}`, ...filters]);
  return stdout.split("\n").filter(Boolean);
}

/** Polls until the condition holds (tests wait on conditions, never on fixed sleeps). */
export async function waitUntil(what: string, condition: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
