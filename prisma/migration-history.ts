/**
 * Reads Prisma's `_prisma_migrations` table directly, for the two questions the schema
 * engine answers badly: does the table exist yet (its history check errors instead of
 * saying "no"), and which migrations started but never finished (to name the failed one).
 * SQLite is read with better-sqlite3, PostgreSQL with node-postgres.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { databaseFilePath, databaseKind, displayDatabaseUrl } from "./database-url";
import { postgresConnection } from "./postgres-connection";

export interface MigrationHistory {
  /** Makes what must exist before the engine connects: the SQLite file's folder, the PostgreSQL `?schema=`. */
  prepare(): Promise<void>;
  hasMigrationsTable(): Promise<boolean>;
  /** Migrations started but never finished nor rolled back (what Prisma calls failed). */
  unfinishedMigrations(): Promise<string[]>;
  /**
   * Runs `work` holding the database's migration lock, so migrators that start
   * together (web nodes) take turns: one that read the history while another
   * was mid-migration would take that migration, unfinished, for a failed one.
   */
  exclusively<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * The PostgreSQL advisory lock migrators take turns on: Drydock's own key, not
 * the schema engine's (72707369), which the engine takes and releases on its
 * connection inside each of its calls.
 */
export const MIGRATION_LOCK_KEY = 0x64727964; // "dryd"

const UNFINISHED = "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NULL AND rolled_back_at IS NULL ORDER BY started_at";

export function migrationHistory(databaseUrl: string): MigrationHistory {
  return databaseKind(databaseUrl) === "postgresql" ? postgresHistory(databaseUrl) : sqliteHistory(databaseFilePath(databaseUrl));
}

function sqliteHistory(dbFile: string): MigrationHistory {
  const read = <T>(query: (db: Database.Database) => T): T => {
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      return query(db);
    } finally {
      db.close();
    }
  };
  const hasMigrationsTable = async () =>
    fs.existsSync(dbFile) &&
    read((db) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get() !== undefined);
  return {
    async prepare() {
      fs.mkdirSync(path.dirname(dbFile), { recursive: true });
    },
    hasMigrationsTable,
    // The schema engine opens SQLite in exclusive locking mode; one web node per SQLite file.
    exclusively: (work) => work(),
    async unfinishedMigrations() {
      if (!(await hasMigrationsTable())) return [];
      return read((db) => (db.prepare(UNFINISHED).all() as { migration_name: string }[]).map((row) => row.migration_name));
    },
  };
}

function postgresHistory(databaseUrl: string): MigrationHistory {
  const { pool, schema } = postgresConnection(databaseUrl);
  const table = `"${schema ?? "public"}"._prisma_migrations`; // postgresConnection admits plain identifiers only
  const connected = async <T>(use: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client(pool);
    client.on("error", () => {}); // a lost connection also fails the query, which reports it
    try {
      await client.connect();
    } catch (error) {
      throw new Error(
        `Cannot connect to PostgreSQL at ${displayDatabaseUrl(databaseUrl)}: ${(error as Error).message}. ` +
          "Check that the server runs, that the database exists (createdb) and the user and password in DATABASE_URL.",
        { cause: error },
      );
    }
    try {
      return await use(client);
    } finally {
      await client.end().catch(() => {});
    }
  };
  const query = <T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> =>
    connected(async (client) => (await client.query<T>(sql, values)).rows);
  const hasMigrationsTable = async () =>
    (await query<{ present: boolean }>("SELECT to_regclass($1) IS NOT NULL AS present", [table]))[0]?.present === true;
  return {
    async prepare() {
      if (schema !== undefined) await query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    },
    hasMigrationsTable,
    // Held by its own connection for the whole of `work`; ending that connection (or the process dying) releases it.
    exclusively: (work) =>
      connected(async (client) => {
        await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
        return work();
      }),
    async unfinishedMigrations() {
      if (!(await hasMigrationsTable())) return [];
      const rows = await query<{ migration_name: string }>(UNFINISHED.replace("_prisma_migrations", table));
      return rows.map((row) => row.migration_name);
    },
  };
}
