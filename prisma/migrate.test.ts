import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseFilePath, databaseKind, defaultDatabasePath, displayDatabaseUrl, repoRoot, resolveDatabaseUrl } from "./database-url";
import { defaultMigrationsDir, markMigrationRolledBack, migrateDatabase } from "./migrate";
import { createNextMigration } from "./new-migration";
import { noFilters, openSchemaEngine, readMigrationsList } from "./schema-engine";

const slow = { timeout: 60_000 };
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "drydock-prisma-"));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A fresh database URL in a directory that does not exist yet. */
function freshDb(name: string): { url: string; file: string } {
  const file = path.join(tmp, name, "nested", "drydock.db");
  return { url: `file:${file}`, file };
}

/** A private copy of prisma/migrations that a test may edit. */
function copyMigrations(name: string): string {
  const dir = path.join(tmp, name, "migrations");
  fs.cpSync(defaultMigrationsDir, dir, { recursive: true });
  return dir;
}

function migrationNames(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: number | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: number | null;
  started_at: number;
  applied_steps_count: number;
}

function rows(file: string): MigrationRow[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT * FROM _prisma_migrations ORDER BY started_at").all() as MigrationRow[];
  } finally {
    db.close();
  }
}

const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

describe("migrateDatabase", () => {
  it("applies the migrations to a fresh database and records them as Prisma does", slow, async () => {
    const { url, file } = freshDb("fresh");
    const expected = migrationNames(defaultMigrationsDir);
    expect(expected.length).toBeGreaterThan(0);

    const { applied } = await migrateDatabase(url);
    expect(applied).toEqual(expected);

    const db = new Database(file, { readonly: true });
    const columns = db.prepare("PRAGMA table_info(_prisma_migrations)").all() as { name: string }[];
    expect(columns.map((c) => c.name)).toEqual([
      "id",
      "checksum",
      "finished_at",
      "migration_name",
      "logs",
      "rolled_back_at",
      "started_at",
      "applied_steps_count",
    ]);
    const sessionIndex = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Session' AND sql IS NOT NULL")
      .all();
    db.close();
    expect(sessionIndex).toEqual([
      { name: "Session_visitorId_idx" },
      { name: "Session_visitorId_lessonId_idx" },
      { name: "Session_state_idx" },
      { name: "Session_workshopId_idx" },
      { name: "Session_agentId_state_idx" },
    ]);

    const recorded = rows(file);
    expect(recorded.map((r) => r.migration_name)).toEqual(expected);
    for (const row of recorded) {
      expect(row.checksum).toBe(sha256(path.join(defaultMigrationsDir, row.migration_name, "migration.sql")));
      // integer epoch milliseconds, as the native engine writes them on SQLite
      expect(row.started_at).toBeGreaterThan(Date.now() - 60_000);
      expect(row.finished_at).toBeGreaterThanOrEqual(row.started_at);
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("applies nothing the second time", slow, async () => {
    const { url, file } = freshDb("twice");
    await migrateDatabase(url);
    const before = rows(file);
    expect(await migrateDatabase(url)).toEqual({ applied: [] });
    expect(rows(file)).toEqual(before);

    // What `prisma migrate status` asks the engine: the history is complete and in sync.
    const { engine, close } = await openSchemaEngine(file);
    try {
      const status = await engine.diagnoseMigrationHistory({
        migrationsList: readMigrationsList(defaultMigrationsDir),
        optInToShadowDatabase: false,
        filters: noFilters,
      });
      expect(status).toEqual({
        editedMigrationNames: [],
        failedMigrationNames: [],
        hasMigrationsTable: true,
        history: null,
      });
    } finally {
      await close();
    }
  });

  it("refuses a database whose applied migration.sql was edited afterwards", slow, async () => {
    const { url, file } = freshDb("tampered");
    const migrationsDir = copyMigrations("tampered");
    await migrateDatabase(url, { migrationsDir });
    const [first] = migrationNames(migrationsDir);
    fs.appendFileSync(path.join(migrationsDir, first as string, "migration.sql"), "\n-- sneaky edit\n");

    const attempt = migrateDatabase(url, { migrationsDir });
    await expect(attempt).rejects.toThrow(/checksum mismatch/);
    await expect(attempt).rejects.toThrow(first as string);
    await expect(attempt).rejects.toThrow(/Refusing to migrate/);
    expect(rows(file)).toHaveLength(migrationNames(migrationsDir).length);
  });

  it("refuses to continue after a failed migration until it is marked rolled back", slow, async () => {
    const { url, file } = freshDb("failed");
    const migrationsDir = copyMigrations("failed");
    const broken = path.join(migrationsDir, "29990101000000_broken");
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, "migration.sql"), 'ALTER TABLE "NoSuchTable" ADD COLUMN "x" TEXT;\n');

    await expect(migrateDatabase(url, { migrationsDir })).rejects.toThrow(/29990101000000_broken/);
    const failed = rows(file).find((r) => r.migration_name === "29990101000000_broken");
    expect(failed?.finished_at).toBeNull();
    expect(failed?.logs).toMatch(/NoSuchTable/);

    await expect(migrateDatabase(url, { migrationsDir })).rejects.toThrow(/failed\s+earlier/);

    fs.writeFileSync(path.join(broken, "migration.sql"), 'ALTER TABLE "Session" ADD COLUMN "x" TEXT;\n');
    await markMigrationRolledBack(url, "29990101000000_broken");
    expect(await migrateDatabase(url, { migrationsDir })).toEqual({ applied: ["29990101000000_broken"] });
  });

  it("works through the CLI, one JSON line per applied migration", slow, () => {
    const { file } = freshDb("cli");
    const run = () =>
      execFileSync(path.join(repoRoot, "node_modules/.bin/tsx"), ["prisma/migrate.ts"], {
        cwd: repoRoot,
        env: { ...process.env, DATABASE_URL: `file:${file}` },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
    const lines = run().trim().split("\n");
    expect(lines.map((l) => JSON.parse(l))).toEqual(migrationNames(defaultMigrationsDir).map((applied) => ({ applied, database: file })));
    expect(run()).toBe("");
  });
});

/** The slice of the generated client used below (the real types live in gitignored code). */
interface SessionRow {
  id: string;
  visitorId: string;
  sandboxId: string | null;
  agentUrl: string;
  state: string;
  failure: string | null;
  createdAt: Date;
  updatedAt: Date;
  endedAt: Date | null;
}
interface SessionClient {
  session: {
    create(args: { data: Partial<SessionRow> }): Promise<SessionRow>;
    update(args: { where: { id: string }; data: Partial<SessionRow> }): Promise<SessionRow>;
    findMany(args: { where: Partial<SessionRow> }): Promise<SessionRow[]>;
  };
  $disconnect(): Promise<void>;
}

describe("generated client", () => {
  beforeAll(() => {
    execFileSync("bash", [path.join(repoRoot, "prisma/generate.sh")], { cwd: repoRoot, stdio: "pipe" });
  }, 120_000);

  it("writes and reads a Session through the better-sqlite3 adapter", slow, async () => {
    const { url } = freshDb("client");
    await migrateDatabase(url); // also proves the migrator released its exclusive lock

    // Generated code is gitignored, so it is imported by path (and typed loosely) here.
    const clientModule = pathToFileURL(path.join(repoRoot, "apps/web/generated/prisma/client.ts")).href;
    const { PrismaClient } = (await import(clientModule)) as { PrismaClient: new (options: object) => SessionClient };
    const { PrismaBetterSqlite3 } = await import("@prisma/adapter-better-sqlite3");
    const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
    try {
      const created = await prisma.session.create({
        data: { id: "ses_test1", visitorId: "vis_1", agentUrl: "http://agent:4000", state: "requested" },
      });
      expect(created.createdAt).toBeInstanceOf(Date);
      expect(created.sandboxId).toBeNull();

      const updated = await prisma.session.update({
        where: { id: "ses_test1" },
        data: { state: "ready", sandboxId: "sbx_1" },
      });
      expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());

      const found = await prisma.session.findMany({ where: { visitorId: "vis_1" } });
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ id: "ses_test1", state: "ready", sandboxId: "sbx_1", endedAt: null });
    } finally {
      await prisma.$disconnect();
    }
  });
});

describe("new-migration", () => {
  it("finds prisma/schema.prisma in sync with prisma/migrations", slow, async () => {
    const migrationsDir = copyMigrations("in-sync");
    expect(await createNextMigration({ name: "nothing", migrationsDir })).toBeNull();
    expect(migrationNames(migrationsDir)).toEqual(migrationNames(defaultMigrationsDir));
  });

  it("writes the SQL Prisma generates for a schema change, then nothing more", slow, async () => {
    const migrationsDir = copyMigrations("change");
    const schemaPath = path.join(tmp, "change", "schema.prisma");
    const schema = fs.readFileSync(path.join(repoRoot, "prisma/schema.prisma"), "utf8");
    fs.writeFileSync(schemaPath, schema.replace("  endedAt   DateTime?\n", "  endedAt   DateTime?\n  note String?\n"));

    const created = await createNextMigration({ name: "add_note", schemaPath, migrationsDir });
    expect(created).toMatch(/^\d{14}_add_note$/);
    const sql = fs.readFileSync(path.join(migrationsDir, created as string, "migration.sql"), "utf8");
    expect(sql).toContain('ALTER TABLE "Session" ADD COLUMN "note" TEXT;');
    expect(await createNextMigration({ name: "again", schemaPath, migrationsDir })).toBeNull();

    // and the new history applies on a fresh database
    const { url } = freshDb("change");
    expect((await migrateDatabase(url, { migrationsDir })).applied).toContain(created);
  });
});

describe("database URL", () => {
  it("defaults to .drydock/drydock.db at the repo root and resolves relative paths there", () => {
    expect(resolveDatabaseUrl({})).toBe(`file:${defaultDatabasePath}`);
    expect(defaultDatabasePath).toBe(path.join(repoRoot, ".drydock", "drydock.db"));
    expect(resolveDatabaseUrl({ DATABASE_URL: "file:/abs/x.db" })).toBe("file:/abs/x.db");
    expect(resolveDatabaseUrl({ DATABASE_URL: "file:./data/x.db" })).toBe(`file:${path.join(repoRoot, "data/x.db")}`);
    expect(databaseFilePath("file:///abs/y.db")).toBe("/abs/y.db");
    expect(databaseFilePath("file:/abs/z.db?connection_limit=1")).toBe("/abs/z.db");
    expect(() => databaseFilePath("postgresql://localhost/db")).toThrow(/SQLite file: URL/);
  });

  it("selects PostgreSQL by a postgresql:// or postgres:// URL, kept as given and shown without its password", () => {
    const url = "postgresql://drydock:s3cr%40t@db.internal:5432/drydock?schema=app";
    expect(databaseKind(url)).toBe("postgresql");
    expect(databaseKind("postgres://u@h/db")).toBe("postgresql");
    expect(databaseKind("file:/abs/x.db")).toBe("sqlite");
    expect(resolveDatabaseUrl({ DATABASE_URL: ` ${url} ` })).toBe(url);
    expect(displayDatabaseUrl(url)).toBe("postgresql://drydock:***@db.internal:5432/drydock?schema=app");
    expect(displayDatabaseUrl("file:/abs/x.db")).toBe("/abs/x.db");
    expect(() => databaseFilePath("mysql://u@h/db")).toThrow(/or a PostgreSQL URL/);
  });
});
