/**
 * A throwaway PostgreSQL cluster for tests and tools: `initdb` into a temporary
 * folder, `postgres` listening on loopback only, a generated password, and
 * `stop()` deletes it all. Uses Debian's server binaries
 * (/usr/lib/postgresql/<version>/bin, package `postgresql`), never the system
 * service.
 *
 * PostgreSQL refuses to run as root, so when this process is root the cluster
 * is owned by and runs as the `postgres` user (made by the Debian package), or
 * `nobody` where that user does not exist.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chown, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { type PostgresOwner, postgresBinDir, postgresOwner } from "../scripts/lib/postgres-install";

const run = promisify(execFile);
const SUPERUSER = "drydock";
const START_TIMEOUT_MS = 60_000;

export interface PostgresOptions {
  /** TCP port on 127.0.0.1; default: a free one the kernel picks. */
  port?: number;
}

export interface RunningPostgres {
  /** `postgresql://drydock:<password>@127.0.0.1:<port>/postgres`: the superuser on the maintenance database. */
  url: string;
  port: number;
  /** Makes an empty database and returns its URL (name: letters, digits, `_`). */
  createDatabase(name: string): Promise<string>;
  /**
   * Stops the server and starts it again on the same data and port. `fast`
   * disconnects clients and shuts down cleanly; `crash` kills it (SIGKILL of
   * the postmaster and its backends), so the next start recovers from the WAL.
   */
  restart(how?: "fast" | "crash"): Promise<void>;
  /** Stops the server and deletes its data. Idempotent. */
  stop(): Promise<void>;
  /** The server's log so far, for a failure's message. */
  log(): string;
}

/** Starts a private cluster and resolves once it accepts connections. */
export async function startPostgres(options: PostgresOptions = {}): Promise<RunningPostgres> {
  const bin = postgresBinDir();
  const owner = await postgresOwner();
  const dir = await mkdtemp(join(tmpdir(), "drydock-postgres-"));
  const dataDir = join(dir, "data");
  const socketDir = join(dir, "socket");
  const password = randomBytes(18).toString("hex");
  const port = options.port ?? (await freePort());
  let output = "";
  let server: ChildProcess | undefined;

  /**
   * Runs a server binary as the cluster's owner (root cannot run PostgreSQL). With
   * `diesWithUs`, the server also shuts down when this process dies without stop() (a
   * killed test run), instead of lingering.
   */
  const asOwner = (command: string, args: string[], diesWithUs = false): [string, string[]] => {
    const user = owner ? [`--reuid=${owner.uid}`, `--regid=${owner.gid}`, "--clear-groups"] : [];
    return ["setpriv", [...(diesWithUs ? ["--pdeathsig=SIGINT"] : []), ...user, command, ...args]];
  };

  const launch = async () => {
    const [command, args] = asOwner(
      join(bin, "postgres"),
      [
        "-D",
        dataDir,
        "-p",
        String(port),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        `unix_socket_directories=${socketDir}`,
        "-c",
        "max_connections=300",
        // Durability is not what a throwaway test cluster is for; speed is.
        "-c",
        "fsync=off",
        "-c",
        "synchronous_commit=off",
        "-c",
        "full_page_writes=off",
      ],
      true,
    );
    const started = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-20_000);
    };
    started.stdout?.on("data", keep);
    started.stderr?.on("data", keep);
    server = started;
    await acceptsConnections(started);
  };

  const url = `postgresql://${SUPERUSER}:${password}@127.0.0.1:${port}/postgres`;

  const acceptsConnections = async (started: ChildProcess) => {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (started.exitCode !== null || started.signalCode !== null) {
        throw new Error(`postgres exited (${started.exitCode ?? started.signalCode}) while starting on port ${port}:\n${output}`);
      }
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
      const ready = await client.connect().then(
        () => client.query("SELECT 1").then(() => true),
        () => false,
      );
      await client.end().catch(() => {});
      if (ready) return;
      if (Date.now() > deadline)
        throw new Error(`postgres did not accept connections on port ${port} within ${START_TIMEOUT_MS / 1000} s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const halt = async (signal: NodeJS.Signals) => {
    const running = server;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill(signal); // SIGINT: PostgreSQL's "fast" shutdown
    await exited;
  };

  /** SIGKILL of the postmaster leaves its backends running: kill them too, and wait until all are gone. */
  const crash = async () => {
    const running = server;
    if (!running?.pid || running.exitCode !== null || running.signalCode !== null) return;
    const backends = await childrenOf(running.pid);
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGKILL");
    for (const pid of backends) signal(pid, "SIGKILL");
    await exited;
    await waitUntilGone(backends);
  };

  let stopped = false;
  try {
    await mkdir(socketDir);
    const passwordFile = join(dir, "password");
    await writeFile(passwordFile, password, { mode: 0o600 });
    if (owner) await chownTree(dir, owner);
    const [command, args] = asOwner(join(bin, "initdb"), [
      "-D",
      dataDir,
      "-U",
      SUPERUSER,
      `--pwfile=${passwordFile}`,
      "--auth-host=scram-sha-256",
      "--auth-local=peer",
      "--encoding=UTF8",
      "--locale=C",
      "--no-sync",
    ]);
    await run(command, args).catch((error: { stderr?: string; message: string }) => {
      throw new Error(`initdb failed in ${dataDir}: ${error.stderr || error.message}`);
    });
    await rm(passwordFile);
    await launch();
  } catch (error) {
    await halt("SIGINT");
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    url,
    port,
    log: () => output,
    async createDatabase(name) {
      if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`Database name must be letters, digits or "_" (got "${name}")`);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return url.replace(/\/postgres$/, `/${name}`);
    },
    async restart(how = "fast") {
      if (how === "crash") await crash();
      else await halt("SIGINT");
      await launch();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await halt("SIGINT");
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function chownTree(path: string, owner: PostgresOwner): Promise<void> {
  await chown(path, owner.uid, owner.gid);
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (entry.isDirectory()) await chownTree(join(path, entry.name), owner);
    else await chown(join(path, entry.name), owner.uid, owner.gid);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}

/** Linux's /proc/<pid>/stat: "pid (comm) state ppid ...". Null when the process is gone. */
async function processStat(pid: number): Promise<{ state: string; ppid: number } | null> {
  const text = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  const fields = text?.slice(text.lastIndexOf(")") + 2).split(" ");
  return fields ? { state: fields[0] ?? "", ppid: Number(fields[1]) } : null;
}

async function childrenOf(parent: number): Promise<number[]> {
  const pids = (await readdir("/proc")).filter((name) => /^\d+$/.test(name)).map(Number);
  const stats = await Promise.all(pids.map(async (pid) => ({ pid, stat: await processStat(pid) })));
  return stats.filter(({ stat }) => stat?.ppid === parent).map(({ pid }) => pid);
}

/**
 * After a crash the old backends must be gone before a new postmaster may use
 * the data folder (it refuses while they still hold its shared memory). A
 * zombie holds nothing, so it counts as gone.
 */
async function waitUntilGone(pids: number[]): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const states = await Promise.all(pids.map(processStat));
    if (states.every((stat) => stat === null || stat.state === "Z")) return;
    if (Date.now() > deadline) throw new Error(`PostgreSQL processes ${pids.join(", ")} still run after SIGKILL`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
