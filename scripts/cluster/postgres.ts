/**
 * A PostgreSQL server of the cluster's own: Debian's binaries
 * (/usr/lib/postgresql/<version>/bin), a data folder made once with initdb,
 * listening on 127.0.0.1 only, one database `drydock` owned by the role
 * `drydock` whose password (random, kept beside the data) goes in the URL.
 * As root it runs as the `postgres` user (else `nobody`), since PostgreSQL refuses root.
 * The system's own PostgreSQL service is never touched.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, chown, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { postgresBinDir, postgresOwner } from "../lib/postgres-install";
import { type SupervisedProcess, superviseProcess } from "./supervised-process";

const run = promisify(execFile);
const ROLE = "drydock";
const DATABASE = "drydock";

export interface PostgresOptions {
  /** Its folder (made if missing): the data, the password and the socket. Its parent must be traversable by the postgres user. */
  dir: string;
  port: number;
  logFile: string;
}

export interface PostgresServer extends SupervisedProcess {
  /** postgresql://drydock:<password>@127.0.0.1:<port>/drydock */
  url: string;
}

/** Makes the data folder once (initdb); later starts reuse it and its password. */
async function initialise(options: PostgresOptions, user: { uid?: number; gid?: number }, bin: string): Promise<string> {
  const dataDir = join(options.dir, "data");
  const passwordFile = join(options.dir, "password");
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  if (user.uid !== undefined && user.gid !== undefined) {
    await chown(options.dir, user.uid, user.gid);
    await run("test", ["-x", options.dir], user).catch(() => {
      throw new Error(
        `PostgreSQL runs as the postgres user, who cannot reach ${options.dir} (a folder above it is closed to others, e.g. /root). ` +
          "Keep the cluster's state where others may pass (DRYDOCK_STATE_DIR=/var/lib/drydock/state npm run cluster), or chmod o+x the closed folder.",
      );
    });
  }
  if (existsSync(join(dataDir, "PG_VERSION"))) return (await readFile(passwordFile, "utf8")).trim();
  const password = randomBytes(18).toString("hex");
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (user.uid !== undefined && user.gid !== undefined) await chown(passwordFile, user.uid, user.gid);
  await run(
    join(bin, "initdb"),
    [
      "--pgdata",
      dataDir,
      "--username",
      ROLE,
      "--pwfile",
      passwordFile,
      // The socket folder is the cluster's own, so local connections (the set-up below) need no password; TCP does.
      "--auth-local=trust",
      "--auth-host=scram-sha-256",
      "--encoding=UTF8",
      "--locale=C",
      "--no-instructions",
    ],
    { uid: user.uid, gid: user.gid, cwd: options.dir },
  ).catch((error: Error & { stderr?: string }) => {
    throw new Error(`initdb of ${dataDir} failed: ${error.stderr || error.message}`);
  });
  await chmod(dataDir, 0o700);
  return password;
}

export async function preparePostgres(options: PostgresOptions): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const user = (await postgresOwner()) ?? {};
  const password = await initialise(options, user, bin);
  const url = `postgresql://${ROLE}:${password}@127.0.0.1:${options.port}/${DATABASE}`;
  const socketDir = options.dir;
  const psql = (database: string, sql: string) =>
    run("psql", ["--host", socketDir, "--port", String(options.port), "--username", ROLE, "--dbname", database, "-tAc", sql], {
      timeout: 10_000,
    });
  const server = superviseProcess({
    name: "postgres",
    command: join(bin, "postgres"),
    args: [
      "-D",
      join(options.dir, "data"),
      "-p",
      String(options.port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      `unix_socket_directories=${socketDir}`,
      // Two web nodes, a migration and the tests' own connections; the default 100 is more than one machine needs.
      "-c",
      "max_connections=60",
    ],
    cwd: options.dir,
    ...user,
    logFile: options.logFile,
    // Fast shutdown: the web nodes' pooled connections are closed instead of waited for.
    stopSignal: "SIGINT",
    ready: async () => {
      await psql("postgres", "SELECT 1");
      return true;
    },
  });
  return {
    ...server,
    url,
    start: async () => {
      await server.start();
      const { stdout } = await psql("postgres", `SELECT 1 FROM pg_database WHERE datname = '${DATABASE}'`);
      if (stdout.trim() !== "1") await psql("postgres", `CREATE DATABASE ${DATABASE} OWNER ${ROLE}`);
    },
  };
}
