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
}

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
    async unfinishedMigrations() {
      if (!(await hasMigrationsTable())) return [];
      return read((db) => (db.prepare(UNFINISHED).all() as { migration_name: string }[]).map((row) => row.migration_name));
    },
  };
}

function postgresHistory(databaseUrl: string): MigrationHistory {
  const { pool, schema } = postgresConnection(databaseUrl);
  const table = `"${schema ?? "public"}"._prisma_migrations`; // postgresConnection admits plain identifiers only
  const query = async <T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> => {
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
      return (await client.query<T>(sql, values)).rows;
    } finally {
      await client.end().catch(() => {});
    }
  };
  const hasMigrationsTable = async () =>
    (await query<{ present: boolean }>("SELECT to_regclass($1) IS NOT NULL AS present", [table]))[0]?.present === true;
  return {
    async prepare() {
      if (schema !== undefined) await query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    },
    hasMigrationsTable,
    async unfinishedMigrations() {
      if (!(await hasMigrationsTable())) return [];
      const rows = await query<{ migration_name: string }>(UNFINISHED.replace("_prisma_migrations", table));
      return rows.map((row) => row.migration_name);
    },
  };
}
