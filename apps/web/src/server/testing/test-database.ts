import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateDatabase } from "../../../../../prisma/migrate";
import { startPostgres } from "../../../../../test-support/postgres";
import { type Database, openDatabase } from "../db";

export interface TestDatabase {
  db: Database;
  url: string;
  /** Closes the client and removes the database (its folder, or its throwaway PostgreSQL server). */
  remove(): Promise<void>;
}

/** Which database the tests that use createTestDatabase run against: `DRYDOCK_TEST_DATABASE=postgresql` or SQLite (default). */
export function testDatabaseKind(env: NodeJS.ProcessEnv = process.env): "sqlite" | "postgresql" {
  const wanted = env.DRYDOCK_TEST_DATABASE?.trim() || "sqlite";
  if (wanted !== "sqlite" && wanted !== "postgresql") {
    throw new Error(`DRYDOCK_TEST_DATABASE must be sqlite or postgresql, got "${wanted}"`);
  }
  return wanted;
}

/**
 * A fresh database, migrated as `npm start` migrates the real one: a SQLite file in a
 * temporary folder, or with DRYDOCK_TEST_DATABASE=postgresql a database on a throwaway
 * PostgreSQL server of its own (test-support/postgres.ts).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDatabaseKind() === "postgresql") {
    const server = await startPostgres();
    try {
      const url = await server.createDatabase("drydock");
      return await migratedDatabase(url, () => server.stop());
    } catch (error) {
      await server.stop();
      throw error;
    }
  }
  const dir = await mkdtemp(join(tmpdir(), "drydock-db-"));
  const url = `file:${join(dir, "test.db")}`;
  return migratedDatabase(url, () => rm(dir, { recursive: true, force: true }));
}

async function migratedDatabase(url: string, discard: () => Promise<void>): Promise<TestDatabase> {
  await migrateDatabase(url);
  const db = openDatabase(url);
  return {
    db,
    url,
    async remove() {
      await db.$disconnect();
      await discard();
    },
  };
}
