/**
 * Where Drydock's SQLite database lives. One rule for every consumer (the migrator, the
 * Prisma CLI through prisma.config.ts, the web app's PrismaClient) so they never disagree:
 *
 * - `DATABASE_URL` if set, as a `file:` URL: `file:/abs/path.db` or `file:./rel/path.db`.
 *   Relative paths are resolved against the repo root, not the process's cwd.
 * - otherwise `file:<repo root>/.drydock/drydock.db`.
 *
 * The result is always an absolute `file:` URL, suitable for
 * `new PrismaBetterSqlite3({ url })` and for `migrateDatabase(url)`.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (the folder that holds prisma/). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

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
    throw new Error(`DATABASE_URL must be a SQLite file: URL (like file:/abs/path.db), got "${databaseUrl}"`);
  }
  rest = rest.split("?")[0] ?? rest; // drop connection parameters such as ?connection_limit=1
  if (rest === "" || rest === ":memory:") {
    throw new Error(`DATABASE_URL must name a database file, got "${databaseUrl}"`);
  }
  return path.resolve(repoRoot, rest);
}

/** The database URL to use: DATABASE_URL (normalised to an absolute file: URL) or the default. */
export function resolveDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.DATABASE_URL?.trim();
  return `file:${fromEnv ? databaseFilePath(fromEnv) : defaultDatabasePath}`;
}
