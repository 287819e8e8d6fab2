/**
 * Where Debian's PostgreSQL server is and whom it runs as: shared by the
 * cluster's PostgreSQL (scripts/cluster/postgres.ts) and the tests' throwaway
 * one (test-support/postgres.ts). The system's own service is never used.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The newest PostgreSQL that Debian's packages installed (POSTGRES_BIN_DIR overrides). */
export function postgresBinDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.POSTGRES_BIN_DIR) return env.POSTGRES_BIN_DIR;
  const versions = (existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql") : [])
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  const found = versions.find((version) => existsSync(`/usr/lib/postgresql/${version}/bin/postgres`));
  if (!found)
    throw new Error(
      "PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/postgres). " +
        "Install Debian's package: apt-get install -y postgresql (npm test's provisioning does), or set POSTGRES_BIN_DIR.",
    );
  return `/usr/lib/postgresql/${found}/bin`;
}

export interface PostgresOwner {
  uid: number;
  gid: number;
}

/**
 * Root cannot run PostgreSQL: the user it runs as then, `postgres` (made by the Debian
 * package) or else `nobody`. Undefined when this process is not root: it runs as itself.
 */
export async function postgresOwner(): Promise<PostgresOwner | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  for (const user of ["postgres", "nobody"]) {
    const id = await run("id", ["-u", user]).then(
      async ({ stdout }) => ({ uid: Number(stdout.trim()), gid: Number((await run("id", ["-g", user])).stdout.trim()) }),
      () => undefined,
    );
    if (id) return id;
  }
  throw new Error("Running as root, but neither a postgres nor a nobody user exists to run PostgreSQL");
}
