/**
 * Where Drydock's database lives. One rule for every consumer (the migrator, the Prisma CLI
 * through prisma.config.ts, the web app's PrismaClient) so they never disagree:
 *
 * - `DATABASE_URL` if set:
 *   - a SQLite `file:` URL: `file:/abs/path.db` or `file:./rel/path.db`. Relative paths are
 *     resolved against the repo root, not the process's cwd; or
 *   - a PostgreSQL URL: `postgresql://user:password@host:port/database` (also `postgres://`),
 *     used as given.
 * - otherwise `file:<repo root>/.drydock/drydock.db` (SQLite, the embedded default).
 *
 * A SQLite result is always an absolute `file:` URL, suitable for
 * `new PrismaBetterSqlite3({ url })` and for `migrateDatabase(url)`.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (the folder that holds prisma/). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export type DatabaseKind = "sqlite" | "postgresql";

/** Default database file when DATABASE_URL is not set. */
export const defaultDatabasePath = path.join(repoRoot, ".drydock", "drydock.db");

/** Turn a `file:` URL (or a bare path) into an absolute filesystem path. */
export function databaseFilePath(databaseUrl: string): string {
  let rest = databaseUrl.trim();
  if (rest.startsWith("file://")) {
    // file:///abs/path.db (RFC 8089 form)
    return fileURLToPath(rest.split("?")[0] ?? rest);
  }
  if (rest.startsWith("file:")) rest = rest.slice("file:".length);
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(rest)) {
    throw new Error(
      `DATABASE_URL must be a SQLite file: URL (like file:/abs/path.db) or a PostgreSQL URL (postgresql://user:password@host:5432/db), got "${databaseUrl}"`,
    );
  }
  rest = rest.split("?")[0] ?? rest; // drop connection parameters such as ?connection_limit=1
  if (rest === "" || rest === ":memory:") {
    throw new Error(`DATABASE_URL must name a database file, got "${databaseUrl}"`);
  }
  return path.resolve(repoRoot, rest);
}

const POSTGRES_SCHEME = /^postgres(ql)?:\/\//i;

/** Which database a URL selects, by its scheme: `postgresql://` (or `postgres://`) or a SQLite `file:`. */
export function databaseKind(databaseUrl: string): DatabaseKind {
  return POSTGRES_SCHEME.test(databaseUrl.trim()) ? "postgresql" : "sqlite";
}

/**
 * The database URL to use: DATABASE_URL (a SQLite one normalised to an absolute file: URL, a
 * PostgreSQL one as given) or the default SQLite file.
 */
export function resolveDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.DATABASE_URL?.trim();
  if (fromEnv && databaseKind(fromEnv) === "postgresql") return fromEnv;
  return `file:${fromEnv ? databaseFilePath(fromEnv) : defaultDatabasePath}`;
}

/** The URL with its password masked, for logs and messages. */
export function displayDatabaseUrl(databaseUrl: string): string {
  if (databaseKind(databaseUrl) === "sqlite") return databaseFilePath(databaseUrl);
  return databaseUrl.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/i, "$1***@");
}
