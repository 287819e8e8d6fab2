import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateDatabase } from "../../../../../prisma/migrate";
import { type Database, openDatabase } from "../db";

export interface TestDatabase {
  db: Database;
  url: string;
  /** Closes the client and removes the database's folder. */
  remove(): Promise<void>;
}

/** A fresh SQLite database in a temporary folder, migrated as `npm start` migrates the real one. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), "drydock-db-"));
  const url = `file:${join(dir, "test.db")}`;
  await migrateDatabase(url);
  const db = openDatabase(url);
  return {
    db,
    url,
    async remove() {
      await db.$disconnect();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
