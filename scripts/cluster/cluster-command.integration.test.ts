/**
 * `npm run cluster` as an operator runs it (scripts/cluster.ts, its own
 * process): it prints every service and the balancer, stops everything on
 * Ctrl-C, and `npm run cluster -- stop` cleans up after a supervisor that was
 * itself killed. One web node and one agent keep it quick.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fleetSandboxes, waitUntil } from "../lib/drydock-server";
import { ROOT } from "./node-processes";
import { groupAlive, signalGroup } from "./supervised-process";

const run = promisify(execFile);
const BASE_PORT = 5690;
const FLEET_PREFIX = `cl-${randomBytes(3).toString("hex")}`;
const CLI = join(ROOT, "scripts/cluster.ts");

let dir: string;
let env: NodeJS.ProcessEnv;
const started: ChildProcess[] = [];
const servicePids: number[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cl-command-"));
  // PostgreSQL runs as its own user: it must be able to pass through this folder to its data.
  await chmod(dir, 0o711);
  env = { ...process.env, DRYDOCK_STATE_DIR: dir };
});

afterAll(async () => {
  // Whatever a failed test left running.
  for (const child of started) if (child.pid && groupAlive(child.pid)) signalGroup(child.pid, "SIGKILL");
  for (const pid of servicePids) if (groupAlive(pid)) signalGroup(pid, "SIGKILL");
  await run(process.execPath, ["--import", "tsx", CLI, "stop"], { cwd: ROOT, env }).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

interface Printed {
  supervisor: ChildProcess;
  services: { service: string; url: string; pid: number }[];
  balancer: string;
}

/** Starts the command and resolves once it has printed the balancer's line: every service is up by then. */
async function startCommand(poolSize: number): Promise<Printed> {
  const supervisor = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      CLI,
      "--no-provision",
      "--base-port",
      String(BASE_PORT),
      "--web-nodes",
      "1",
      "--agents",
      "1",
      "--fleet-prefix",
      FLEET_PREFIX,
    ],
    { cwd: ROOT, env: { ...env, POOL_SIZE: String(poolSize) }, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  started.push(supervisor);
  let stdout = "";
  let stderr = "";
  supervisor.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-10_000);
  });
  const lines = await new Promise<string[]>((resolve, reject) => {
    supervisor.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('{"balancer":')) resolve(stdout.trim().split("\n"));
    });
    supervisor.once("exit", (code) => reject(new Error(`npm run cluster exited with ${code}:\n${stderr}`)));
  });
  const printed = lines.map((line) => JSON.parse(line));
  const services = printed.filter((line) => "service" in line);
  servicePids.push(...services.map((service) => service.pid));
  return { supervisor, services, balancer: printed.at(-1).balancer };
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

describe("npm run cluster", () => {
  it("prints each service with its URL and pid, then the balancer, and stops them all on Ctrl-C", async () => {
    const { supervisor, services, balancer } = await startCommand(0);
    expect(services.map((s) => s.service)).toEqual(["postgres", "redis", "web1", "balancer", "a1"]);
    expect(balancer).toBe(`http://127.0.0.1:${BASE_PORT}`);
    for (const service of services) expect(groupAlive(service.pid), service.service).toBe(true);
    expect((await fetch(balancer)).status).toBe(200);

    supervisor.kill("SIGINT");
    expect(await exited(supervisor)).toBe(0);
    for (const service of services) expect(groupAlive(service.pid), service.service).toBe(false);
    expect(await fleetSandboxes(`${FLEET_PREFIX}-a1`)).toEqual([]);
  });

  it("stop cleans up after a supervisor that was killed, leaving none of its services", async () => {
    // A warm pool of one: the agent boots a sandbox of its fleet, for stop to remove.
    const { supervisor, services } = await startCommand(1);
    await waitUntil("the agent's pool holds a sandbox", async () => (await fleetSandboxes(`${FLEET_PREFIX}-a1`)).length === 1);
    // The supervisor dies without a chance to tidy up; its services run on.
    signalGroup(supervisor.pid as number, "SIGKILL");
    await exited(supervisor);
    for (const service of services) expect(groupAlive(service.pid), service.service).toBe(true);

    const { stderr } = await run(process.execPath, ["--import", "tsx", CLI, "stop"], { cwd: ROOT, env });
    expect(stderr).toContain('"event":"cluster.stopped"');
    expect(stderr).toContain('"leftovers":["a1","web1","balancer","postgres","redis"]');
    await waitUntil("every service is gone", async () => services.every((service) => !groupAlive(service.pid)), 30_000);
    expect(await fleetSandboxes(`${FLEET_PREFIX}-a1`)).toEqual([]);
  });
});
