import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type RunningPostgres, startPostgres } from "../test-support/postgres";
import { repoRoot } from "./database-url";
import { defaultMigrationsDir, markMigrationRolledBack, migrateDatabase, postgresqlMigrationsDir } from "./migrate";
import { MIGRATION_LOCK_KEY } from "./migration-history";
import { createNextMigration } from "./new-migration";
import { defaultTwinPaths, type TwinPaths, writeTwinSchema } from "./postgresql-schema";
import { convertMissingMigrations, twinDrift } from "./postgresql-twin";
import { noFilters, openSchemaEngine, readMigrationsList } from "./schema-engine";

/**
 * The PostgreSQL side of prisma/: the twin schema and migrations are up to date and are what
 * the converter makes, and the migrator applies them as Prisma does, on a real PostgreSQL
 * server (Debian's, started for this file by test-support/postgres.ts).
 */
const run = promisify(execFile);
let server: RunningPostgres;
let tmp: string;
let databases = 0;

beforeAll(async () => {
  server = await startPostgres();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "drydock-prisma-pg-"));
});
afterAll(async () => {
  await server?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const freshDatabase = () => server.createDatabase(`test_${++databases}`);

function migrationNames(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A private copy of prisma/'s schema and both migrations folders, that a test may change. */
function copyOfPrisma(name: string): TwinPaths {
  const dir = path.join(tmp, name);
  const paths: TwinPaths = {
    schemaPath: path.join(dir, "schema.prisma"),
    migrationsDir: path.join(dir, "migrations"),
    twinSchemaPath: path.join(dir, "postgresql", "schema.prisma"),
    twinMigrationsDir: path.join(dir, "postgresql", "migrations"),
  };
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(defaultTwinPaths.schemaPath, paths.schemaPath);
  fs.cpSync(defaultTwinPaths.migrationsDir, paths.migrationsDir, { recursive: true });
  fs.cpSync(path.dirname(defaultTwinPaths.twinSchemaPath), path.dirname(paths.twinSchemaPath), { recursive: true });
  return paths;
}

const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

describe("the PostgreSQL twin (prisma/postgresql)", () => {
  it("is up to date with prisma/schema.prisma and prisma/migrations (if not: npm run db:postgresql)", async () => {
    expect(await twinDrift(server.url)).toEqual([]);
  });

  it("holds exactly what the converter makes from the SQLite migrations, one per SQLite migration with its name", async () => {
    const paths = { ...copyOfPrisma("reconvert") };
    fs.rmSync(paths.twinMigrationsDir, { recursive: true });
    const made = await convertMissingMigrations(server.url, paths);
    expect(made).toEqual(migrationNames(defaultMigrationsDir));
    expect(migrationNames(postgresqlMigrationsDir)).toEqual(made);
    for (const name of made) {
      const committed = fs.readFileSync(path.join(postgresqlMigrationsDir, name, "migration.sql"), "utf8");
      expect(fs.readFileSync(path.join(paths.twinMigrationsDir, name, "migration.sql"), "utf8"), name).toBe(committed);
    }
    expect(fs.readFileSync(path.join(paths.twinMigrationsDir, "migration_lock.toml"), "utf8")).toContain('provider = "postgresql"');
  });

  it("follows a new SQLite migration, and names what is out of date until it does", async () => {
    const paths = copyOfPrisma("follow");
    const schema = fs.readFileSync(paths.schemaPath, "utf8");
    fs.writeFileSync(
      paths.schemaPath,
      schema.replace("  endedAt   DateTime?\n", "  endedAt   DateTime?\n  note String?\n  weight Float @default(1)\n"),
    );
    const created = await createNextMigration({ name: "add_note", schemaPath: paths.schemaPath, migrationsDir: paths.migrationsDir });
    expect(created).toMatch(/^\d{14}_add_note$/);

    const drift = await twinDrift(server.url, paths);
    expect(drift).toEqual([
      expect.stringMatching(/is not prisma\/schema.prisma's twin/),
      `SQLite migrations without a PostgreSQL twin: ${created}`,
      expect.stringMatching(/do not reach the twin schema[\s\S]*note/),
    ]);

    expect(writeTwinSchema(paths)).toBe(true);
    expect(await convertMissingMigrations(server.url, paths)).toEqual([created]);
    const sql = fs.readFileSync(path.join(paths.twinMigrationsDir, created as string, "migration.sql"), "utf8");
    expect(sql).toContain('ADD COLUMN     "note" TEXT');
    expect(sql).toContain('"weight" DOUBLE PRECISION NOT NULL DEFAULT 1');
    expect(await twinDrift(server.url, paths)).toEqual([]);
    expect(await convertMissingMigrations(server.url, paths)).toEqual([]);

    // and the longer PostgreSQL history applies to a fresh database
    const url = await freshDatabase();
    expect((await migrateDatabase(url, { migrationsDir: paths.twinMigrationsDir })).applied).toContain(created);
  });

  it("refuses a PostgreSQL migration that has no SQLite original", async () => {
    const paths = copyOfPrisma("orphan");
    fs.mkdirSync(path.join(paths.twinMigrationsDir, "29990101000000_stray"));
    fs.writeFileSync(path.join(paths.twinMigrationsDir, "29990101000000_stray", "migration.sql"), "SELECT 1;\n");
    await expect(convertMissingMigrations(server.url, paths)).rejects.toThrow(/without a SQLite original.*29990101000000_stray/);
  });
});

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
  applied_steps_count: number;
}

describe("migrateDatabase on PostgreSQL", () => {
  it("applies the twin migrations to a fresh database, records them as Prisma does, and nothing the second time", async () => {
    const url = await freshDatabase();
    const expected = migrationNames(postgresqlMigrationsDir);
    expect(await migrateDatabase(url)).toEqual({ applied: expected });

    const rows = await query<MigrationRow>(url, "SELECT * FROM _prisma_migrations ORDER BY started_at");
    expect(rows.map((row) => row.migration_name)).toEqual(expected);
    for (const row of rows) {
      expect(row.checksum).toBe(sha256(path.join(postgresqlMigrationsDir, row.migration_name, "migration.sql")));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    const tables = await query<{ tablename: string }>(
      url,
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    expect(tables.map((t) => t.tablename)).toEqual(
      expect.arrayContaining(["Session", "Workshop", "Seat", "RecordingChunk", "_prisma_migrations"]),
    );

    expect(await migrateDatabase(url)).toEqual({ applied: [] });
    const { engine, close } = await openSchemaEngine(url);
    try {
      const status = await engine.diagnoseMigrationHistory({
        migrationsList: readMigrationsList(postgresqlMigrationsDir),
        optInToShadowDatabase: false,
        filters: noFilters,
      });
      expect(status).toEqual({ editedMigrationNames: [], failedMigrationNames: [], hasMigrationsTable: true, history: null });
    } finally {
      await close();
    }
  });

  it("applies each migration once when several web nodes migrate the same database at once (three processes)", async () => {
    const url = await freshDatabase();
    const migrator = () =>
      run(path.join(repoRoot, "node_modules/.bin/tsx"), ["prisma/migrate.ts"], {
        cwd: repoRoot,
        env: { ...process.env, DATABASE_URL: url },
      });
    const outputs = await Promise.all([migrator(), migrator(), migrator()]);
    const applied = outputs.flatMap(({ stdout }) =>
      stdout
        .split("\n")
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { applied: string }).applied),
    );
    const expected = migrationNames(postgresqlMigrationsDir);
    expect(applied.sort()).toEqual(expected);
    const rows = await query<MigrationRow>(url, "SELECT * FROM _prisma_migrations");
    expect(rows.map((row) => row.migration_name).sort()).toEqual(expected);
    expect(rows.every((row) => row.finished_at !== null && row.logs === null)).toBe(true);
  });

  it("reads the history only once it holds the migration lock, so a migrator waits for one in progress", async () => {
    const url = await freshDatabase();
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
      const migrating = run(path.join(repoRoot, "node_modules/.bin/tsx"), ["prisma/migrate.ts"], {
        cwd: repoRoot,
        env: { ...process.env, DATABASE_URL: url },
      });
      const waiting = async () =>
        (
          await holder.query<{ waiting: string }>(
            "SELECT count(*) AS waiting FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted",
            [MIGRATION_LOCK_KEY],
          )
        ).rows[0]?.waiting;
      await vi.waitFor(async () => expect(await waiting()).toBe("1"), { timeout: 60_000, interval: 100 });
      expect((await holder.query("SELECT to_regclass('_prisma_migrations') AS history")).rows).toEqual([{ history: null }]);
      await holder.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
      const { stdout } = await migrating;
      expect(stdout.trim().split("\n")).toHaveLength(migrationNames(postgresqlMigrationsDir).length);
    } finally {
      await holder.end();
    }
  });

  it("keeps the tables in the schema that ?schema= names", async () => {
    const url = `${await freshDatabase()}?schema=drydock_app`;
    expect((await migrateDatabase(url)).applied).toHaveLength(migrationNames(postgresqlMigrationsDir).length);
    const tables = await query<{ schemaname: string }>(
      url.split("?")[0] as string,
      `SELECT DISTINCT schemaname FROM pg_tables WHERE tablename = 'Session'`,
    );
    expect(tables).toEqual([{ schemaname: "drydock_app" }]);
    expect(await migrateDatabase(url)).toEqual({ applied: [] });
  });

  it("refuses an edited migration, rolls a failing one back whole, and refuses it until it is marked rolled back", async () => {
    const url = await freshDatabase();
    const migrationsDir = path.join(tmp, "edited", "migrations");
    fs.cpSync(postgresqlMigrationsDir, migrationsDir, { recursive: true });
    await migrateDatabase(url, { migrationsDir });
    const [first] = migrationNames(migrationsDir);
    const firstSql = path.join(migrationsDir, first as string, "migration.sql");
    const original = fs.readFileSync(firstSql, "utf8");
    fs.appendFileSync(firstSql, "\n-- sneaky edit\n");
    await expect(migrateDatabase(url, { migrationsDir })).rejects.toThrow(/Refusing to migrate .*checksum mismatch/s);
    fs.writeFileSync(firstSql, original);

    const broken = path.join(migrationsDir, "29990101000000_broken");
    fs.mkdirSync(broken);
    // Its first statement works, its second fails: PostgreSQL keeps neither (one transaction).
    fs.writeFileSync(
      path.join(broken, "migration.sql"),
      'ALTER TABLE "Session" ADD COLUMN "x" TEXT;\nALTER TABLE "NoSuchTable" ADD COLUMN "x" TEXT;\n',
    );
    await expect(migrateDatabase(url, { migrationsDir })).rejects.toThrow(/Migration "29990101000000_broken" failed/);
    const [failed] = await query<MigrationRow>(url, "SELECT * FROM _prisma_migrations WHERE migration_name = '29990101000000_broken'");
    expect(failed?.finished_at).toBeNull();
    expect(failed?.logs).toMatch(/NoSuchTable/);
    const columns = await query(
      url,
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'Session' AND column_name = 'x'`,
    );
    expect(columns).toEqual([]);
    await expect(migrateDatabase(url, { migrationsDir })).rejects.toThrow(/failed\s+earlier/);
    fs.writeFileSync(path.join(broken, "migration.sql"), 'ALTER TABLE "Session" ADD COLUMN "x" TEXT;\n');
    await markMigrationRolledBack(url, "29990101000000_broken");
    expect(await migrateDatabase(url, { migrationsDir })).toEqual({ applied: ["29990101000000_broken"] });
  });

  it("works through the CLI, one JSON line per applied migration, the password masked", async () => {
    const url = await freshDatabase();
    const { stdout } = await run(path.join(repoRoot, "node_modules/.bin/tsx"), ["prisma/migrate.ts"], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: url },
    });
    const password = new URL(url).password;
    expect(stdout).not.toContain(password);
    const masked = url.replace(`:${password}@`, ":***@");
    expect(
      stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual(migrationNames(postgresqlMigrationsDir).map((applied) => ({ applied, database: masked })));
  });

  it("says which server it cannot reach, without the password, and what to check", async () => {
    const unreachable = server.url.replace(/:(\d+)\/postgres$/, ":1/drydock");
    const attempt = migrateDatabase(unreachable);
    await expect(attempt).rejects.toThrow(
      /Cannot connect to PostgreSQL at postgresql:\/\/drydock:\*\*\*@127.0.0.1:1\/drydock.*database exists/s,
    );
    await expect(attempt).rejects.not.toThrow(new URL(server.url).password);
  });
});
