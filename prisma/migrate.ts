/**
 * Apply pending migrations offline — the equivalent of `prisma migrate deploy`, without the
 * native schema engine download.
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
import Database from "better-sqlite3";
import { databaseFilePath, resolveDatabaseUrl } from "./database-url";
import { runAsCli } from "./run-as-cli";
import { engineError, noFilters, openSchemaEngine, readMigrationsList } from "./schema-engine";

const here = path.dirname(fileURLToPath(import.meta.url));

/** prisma/migrations next to this file. */
export const defaultMigrationsDir = path.join(here, "migrations");

export interface MigrateOptions {
  /** Folder of `<name>/migration.sql` migrations. Default: prisma/migrations. */
  migrationsDir?: string;
}

/** Raised when the database's history does not allow applying migrations safely. */
export class MigrationHistoryError extends Error {
  override name = "MigrationHistoryError";
}

/**
 * Apply every migration in the migrations folder that the database has not recorded yet, in
 * folder-name order, each recorded in `_prisma_migrations` as Prisma does. Creates the
 * database file and its directory if missing.
 *
 * Refuses (throws MigrationHistoryError, applies nothing) if a migration failed earlier or
 * if an applied migration's migration.sql has changed since (checksum mismatch).
 */
export async function migrateDatabase(databaseUrl: string, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const dbFile = databaseFilePath(databaseUrl);
  const migrationsDir = path.resolve(options.migrationsDir ?? defaultMigrationsDir);
  if (!fs.existsSync(migrationsDir)) {
    throw new Error(`No migrations folder at ${migrationsDir}`);
  }
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  const migrationsList = readMigrationsList(migrationsDir);

  // The engine's history check errors out (instead of reporting "no table") when
  // _prisma_migrations does not exist yet through the driver adapter, so look first.
  const hasHistory = hasMigrationsTable(dbFile);

  const { engine, close } = await openSchemaEngine(dbFile);
  try {
    const history = hasHistory
      ? await engine
          .diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: noFilters })
          .catch((e: unknown) => Promise.reject(engineError(`Cannot read the migration history of ${dbFile}`, e)))
      : { failedMigrationNames: [], editedMigrationNames: [] };

    if (history.failedMigrationNames.length > 0) {
      const names = history.failedMigrationNames;
      throw new MigrationHistoryError(
        `Refusing to migrate ${dbFile}: migration ${names.map((n) => `"${n}"`).join(", ")} failed ` +
          "earlier and may have left the database half-changed (see the logs column of " +
          "_prisma_migrations). Repair the database by hand, then mark it rolled back with " +
          `\`tsx prisma/migrate.ts --rolled-back ${names[0]}\` and run the migrations again ` +
          "(or, for a disposable dev database, delete the file).",
      );
    }
    if (history.editedMigrationNames.length > 0) {
      const names = history.editedMigrationNames;
      throw new MigrationHistoryError(
        `Refusing to migrate ${dbFile}: migration ${names.map((n) => `"${n}"`).join(", ")} was ` +
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
      await close(); // release the engine's exclusive lock before reading the history
      const failed = unfinishedMigrations(dbFile);
      throw engineError(
        failed.length > 0
          ? `Migration "${failed.join('", "')}" failed on ${dbFile} and is recorded as failed ` +
              "in _prisma_migrations (later migrations were not applied)"
          : `Migrating ${dbFile} failed`,
        error,
      );
    }
    return { applied: result.appliedMigrationNames };
  } finally {
    await close();
  }
}

/** Migrations started but never finished nor rolled back (what Prisma calls failed). */
function unfinishedMigrations(dbFile: string): string[] {
  if (!hasMigrationsTable(dbFile)) return [];
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        "SELECT migration_name FROM _prisma_migrations " + "WHERE finished_at IS NULL AND rolled_back_at IS NULL ORDER BY started_at",
      )
      .all() as { migration_name: string }[];
    return rows.map((row) => row.migration_name);
  } finally {
    db.close();
  }
}

function hasMigrationsTable(dbFile: string): boolean {
  if (!fs.existsSync(dbFile)) return false;
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get() !== undefined;
  } finally {
    db.close();
  }
}

/**
 * Mark a failed migration as rolled back (`prisma migrate resolve --rolled-back <name>`), so
 * the next `migrateDatabase` runs it again. It stays in `_prisma_migrations` as an audit trail.
 */
export async function markMigrationRolledBack(databaseUrl: string, migrationName: string): Promise<void> {
  const dbFile = databaseFilePath(databaseUrl);
  if (!fs.existsSync(dbFile)) throw new Error(`No database at ${dbFile}`);
  const { engine, close } = await openSchemaEngine(dbFile);
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
  const database = databaseFilePath(url);
  if (values.help) {
    process.stdout.write(
      "usage: tsx prisma/migrate.ts                       apply pending migrations\n" +
        "       tsx prisma/migrate.ts --rolled-back <name>  mark a failed migration rolled back\n" +
        "env:   DATABASE_URL=file:/abs/path.db (default file:<repo>/.drydock/drydock.db)\n",
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
