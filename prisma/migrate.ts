/**
 * Apply pending migrations offline — the equivalent of `prisma migrate deploy`, without the
 * native schema engine download. SQLite (`file:` URLs) takes prisma/migrations; PostgreSQL
 * (`postgresql://` URLs) takes their twins in prisma/postgresql/migrations.
 *
 *   tsx prisma/migrate.ts                         apply pending migrations to DATABASE_URL
 *                                                 (default: file:<repo>/.drydock/drydock.db);
 *                                                 prints one JSON line per applied migration
 *   tsx prisma/migrate.ts --rolled-back <name>    mark a failed migration as rolled back
 *                                                 (= `prisma migrate resolve --rolled-back`)
 *
 * The work is done by Prisma's own schema engine compiled to WebAssembly (schema-engine.ts),
 * so the `_prisma_migrations` bookkeeping (id, checksum = sha256 hex of migration.sql,
 * started_at, finished_at, applied_steps_count, logs) is written by Prisma's code and
 * `prisma migrate deploy` on a machine with the native engine sees the same history.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type DatabaseKind, databaseFilePath, databaseKind, displayDatabaseUrl, resolveDatabaseUrl } from "./database-url";
import { type MigrationHistory, migrationHistory } from "./migration-history";
import { runAsCli } from "./run-as-cli";
import { engineError, type MigrationList, noFilters, openSchemaEngine, readMigrationsList } from "./schema-engine";

const here = path.dirname(fileURLToPath(import.meta.url));

/** prisma/migrations next to this file (SQLite). */
export const defaultMigrationsDir = path.join(here, "migrations");
/** prisma/postgresql/migrations: the same migrations, made for PostgreSQL (prisma/postgresql-twin.ts). */
export const postgresqlMigrationsDir = path.join(here, "postgresql", "migrations");

/** The migrations folder for a database URL, by its scheme. */
export function migrationsDirFor(kind: DatabaseKind): string {
  return kind === "postgresql" ? postgresqlMigrationsDir : defaultMigrationsDir;
}

export interface MigrateOptions {
  /** Folder of `<name>/migration.sql` migrations. Default: prisma/migrations, or prisma/postgresql/migrations for PostgreSQL. */
  migrationsDir?: string;
}

/** Raised when the database's history does not allow applying migrations safely. */
export class MigrationHistoryError extends Error {
  override name = "MigrationHistoryError";
}

/**
 * Apply every migration in the migrations folder that the database has not recorded yet, in
 * folder-name order, each recorded in `_prisma_migrations` as Prisma does. A SQLite database
 * file and its directory are created if missing; a PostgreSQL database must exist.
 *
 * Refuses (throws MigrationHistoryError, applies nothing) if a migration failed earlier or
 * if an applied migration's migration.sql has changed since (checksum mismatch).
 *
 * Migrators of one PostgreSQL database take turns (an advisory lock), from reading the
 * history to the last migration: web nodes that start together apply each migration once.
 */
export async function migrateDatabase(databaseUrl: string, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const kind = databaseKind(databaseUrl);
  const migrationsDir = path.resolve(options.migrationsDir ?? migrationsDirFor(kind));
  if (!fs.existsSync(migrationsDir)) {
    throw new Error(`No migrations folder at ${migrationsDir}`);
  }
  const migrationsList = readMigrationsList(migrationsDir);

  const history = migrationHistory(databaseUrl);
  return history.exclusively(async () => {
    await history.prepare();
    return applyPending(databaseUrl, migrationsList, history);
  });
}

/** What migrateDatabase does holding the lock. */
async function applyPending(databaseUrl: string, migrationsList: MigrationList, history: MigrationHistory): Promise<{ applied: string[] }> {
  const where = displayDatabaseUrl(databaseUrl);
  // The engine's history check errors out (instead of reporting "no table") when
  // _prisma_migrations does not exist yet through the driver adapter, so look first.
  const hasHistory = await history.hasMigrationsTable();

  const { engine, close } = await openSchemaEngine(databaseUrl);
  try {
    const diagnosis = hasHistory
      ? await engine
          .diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: noFilters })
          .catch((e: unknown) => Promise.reject(engineError(`Cannot read the migration history of ${where}`, e)))
      : { failedMigrationNames: [], editedMigrationNames: [] };

    if (diagnosis.failedMigrationNames.length > 0) {
      const names = diagnosis.failedMigrationNames;
      throw new MigrationHistoryError(
        `Refusing to migrate ${where}: migration ${names.map((n) => `"${n}"`).join(", ")} failed ` +
          "earlier and may have left the database half-changed (see the logs column of " +
          "_prisma_migrations). Repair the database by hand, then mark it rolled back with " +
          `\`tsx prisma/migrate.ts --rolled-back ${names[0]}\` and run the migrations again ` +
          "(or, for a disposable dev database, delete it).",
      );
    }
    if (diagnosis.editedMigrationNames.length > 0) {
      const names = diagnosis.editedMigrationNames;
      throw new MigrationHistoryError(
        `Refusing to migrate ${where}: migration ${names.map((n) => `"${n}"`).join(", ")} was ` +
          "already applied, but its migration.sql has changed since (checksum mismatch with " +
          "_prisma_migrations). Applied migrations must never be edited: restore the original " +
          "file (git checkout) and put the change in a new migration " +
          "(`tsx prisma/new-migration.ts <name>`).",
      );
    }

    let result: Awaited<ReturnType<typeof engine.applyMigrations>>;
    try {
      result = await engine.applyMigrations({ migrationsList, filters: noFilters });
    } catch (error) {
      await close(); // release the engine's connections (SQLite: its exclusive lock) before reading the history
      const failed = await history.unfinishedMigrations();
      throw engineError(
        failed.length > 0
          ? `Migration "${failed.join('", "')}" failed on ${where} and is recorded as failed ` +
              "in _prisma_migrations (later migrations were not applied)"
          : `Migrating ${where} failed`,
        error,
      );
    }
    return { applied: result.appliedMigrationNames };
  } finally {
    await close();
  }
}

/**
 * Mark a failed migration as rolled back (`prisma migrate resolve --rolled-back <name>`), so
 * the next `migrateDatabase` runs it again. It stays in `_prisma_migrations` as an audit trail.
 */
export async function markMigrationRolledBack(databaseUrl: string, migrationName: string): Promise<void> {
  if (databaseKind(databaseUrl) === "sqlite") {
    const dbFile = databaseFilePath(databaseUrl);
    if (!fs.existsSync(dbFile)) throw new Error(`No database at ${dbFile}`);
  }
  const { engine, close } = await openSchemaEngine(databaseUrl);
  try {
    await engine
      .markMigrationRolledBack({ migrationName })
      .catch((e: unknown) => Promise.reject(engineError(`Cannot mark "${migrationName}" rolled back`, e)));
  } finally {
    await close();
  }
}

async function main(argv: string[]): Promise<number> {
  // Strict: an unknown flag, a stray argument or --rolled-back without its name throws, and the message says which.
  const { values } = parseArgs({
    args: argv,
    options: { help: { type: "boolean", short: "h" }, "rolled-back": { type: "string" } },
  });
  const url = resolveDatabaseUrl();
  const database = displayDatabaseUrl(url);
  if (values.help) {
    process.stdout.write(
      "usage: tsx prisma/migrate.ts                       apply pending migrations\n" +
        "       tsx prisma/migrate.ts --rolled-back <name>  mark a failed migration rolled back\n" +
        "env:   DATABASE_URL=file:/abs/path.db (default file:<repo>/.drydock/drydock.db)\n" +
        "       or DATABASE_URL=postgresql://user:password@host:5432/db (migrations from prisma/postgresql/migrations)\n",
    );
    return 0;
  }
  const name = values["rolled-back"];
  if (name !== undefined) {
    if (!name) throw new Error("--rolled-back needs a migration name");
    await markMigrationRolledBack(url, name);
    process.stdout.write(`${JSON.stringify({ rolledBack: name, database })}\n`);
    return 0;
  }
  const { applied } = await migrateDatabase(url);
  for (const name of applied) {
    process.stdout.write(`${JSON.stringify({ applied: name, database })}\n`);
  }
  if (applied.length === 0) process.stderr.write(`${database}: no pending migrations\n`);
  return 0;
}

runAsCli(import.meta.url, main);
