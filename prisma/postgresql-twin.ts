/**
 * The PostgreSQL twin of the database schema, made from the SQLite original so that
 * prisma/schema.prisma and prisma/migrations stay the one source of truth:
 *
 * - prisma/postgresql/schema.prisma (postgresql-schema.ts): prisma/schema.prisma with
 *   `provider = "postgresql"` and its client generated into apps/web/generated/prisma-postgresql;
 * - prisma/postgresql/migrations/<name>/migration.sql: one migration per SQLite migration,
 *   with the same folder name, holding the SQL Prisma writes for PostgreSQL.
 *
 *   tsx prisma/postgresql-twin.ts                 write the twin schema and convert every SQLite
 *                                                 migration that has no twin yet (starts a
 *                                                 throwaway PostgreSQL; see test-support/postgres.ts)
 *   tsx prisma/postgresql-twin.ts --check         exit 1 if the twin is not up to date
 *
 * A migration is converted by Prisma's own schema engine (WebAssembly, schema-engine.ts): the
 * SQLite migrations up to and including it are replayed on an in-memory SQLite database,
 * introspected into a datamodel, and the PostgreSQL migrations before it are diffed against
 * that datamodel on a PostgreSQL shadow database. Existing twins are never rewritten (an
 * applied migration must not change); a check (also a test) proves the PostgreSQL history
 * reaches exactly the twin schema.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { startPostgres } from "../test-support/postgres";
import { defaultTwinPaths, type TwinPaths, twinSchema, writeTwinSchema } from "./postgresql-schema";
import { runAsCli } from "./run-as-cli";
import { engineError, type MigrationList, migrationLockToml, noFilters, openSchemaEngine, readMigrationsList } from "./schema-engine";

function migrationNames(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
}

/** The twin migrations folder as the engine reads it, limited to the names `keep` accepts. */
function twinMigrationsList(paths: TwinPaths, keep: (name: string) => boolean = () => true): MigrationList {
  const list = readMigrationsList(paths.twinMigrationsDir);
  return {
    ...list,
    lockfile: { path: "migration_lock.toml", content: migrationLockToml("postgresql") },
    migrationDirectories: list.migrationDirectories.filter((migration) => keep(migration.path)),
  };
}

/**
 * Makes the PostgreSQL twin of every SQLite migration that has none, in order. `postgresUrl`
 * is a server where the URL's user may create (shadow) databases. Returns the names made.
 */
export async function convertMissingMigrations(postgresUrl: string, paths: TwinPaths = defaultTwinPaths): Promise<string[]> {
  const sqliteNames = migrationNames(paths.migrationsDir);
  const orphans = migrationNames(paths.twinMigrationsDir).filter((name) => !sqliteNames.includes(name));
  if (orphans.length > 0) {
    throw new Error(
      `${paths.twinMigrationsDir} has migrations without a SQLite original in ${paths.migrationsDir}: ${orphans.join(", ")}. ` +
        "Every migration starts as a SQLite one (npm run db:new-migration); remove these or add their originals.",
    );
  }
  const missing = new Set(sqliteNames.filter((name) => !fs.existsSync(path.join(paths.twinMigrationsDir, name, "migration.sql"))));
  if (missing.size === 0) return [];

  const sqliteAll = readMigrationsList(paths.migrationsDir);
  const sqlite = await openSchemaEngine(":memory:");
  const postgres = await openSchemaEngine(postgresUrl);
  const made: string[] = [];
  try {
    for (const [index, name] of sqliteNames.entries()) {
      if (!missing.has(name)) continue;
      // The SQLite database as migration `name` leaves it, as a PostgreSQL datamodel.
      const upTo = { ...sqliteAll, migrationDirectories: sqliteAll.migrationDirectories.slice(0, index + 1) };
      await sqlite.engine
        .applyMigrations({ migrationsList: upTo, filters: noFilters })
        .catch((e: unknown) => Promise.reject(engineError(`SQLite migrations up to ${name} do not apply`, e)));
      const introspected = await sqlite.engine
        .introspect({
          schema: { files: [{ path: "schema.prisma", content: 'datasource db {\n  provider = "sqlite"\n}\n' }] },
          baseDirectoryPath: paths.migrationsDir,
          force: true,
          compositeTypeDepth: -1,
          namespaces: null,
        })
        .catch((e: unknown) => Promise.reject(engineError(`Cannot read the SQLite schema after ${name}`, e)));
      const datamodel = introspected.schema.files.map((file) => ({
        path: file.path,
        content: file.content.replace('provider = "sqlite"', 'provider = "postgresql"'),
      }));
      const diff = await postgres.engine
        .diff({
          from: { tag: "migrations", ...twinMigrationsList(paths, (other) => other.localeCompare(name) < 0) },
          to: { tag: "schemaDatamodel", files: datamodel },
          script: true,
          exitCode: null,
          filters: noFilters,
        })
        .catch((e: unknown) => Promise.reject(engineError(`Cannot make the PostgreSQL migration for ${name}`, e)));
      const dir = path.join(paths.twinMigrationsDir, name);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "migration.sql"), migrationScript(name, diff.stdout ?? ""), "utf8");
      fs.writeFileSync(path.join(paths.twinMigrationsDir, "migration_lock.toml"), migrationLockToml("postgresql"), "utf8");
      made.push(name);
    }
  } finally {
    await sqlite.close();
    await postgres.close();
  }
  return made;
}

/** A migration that changes no table (data only, or hand-written) needs a person to port its statements. */
function migrationScript(name: string, script: string): string {
  const statements = script
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.trim().startsWith("--"))
    .join("");
  if (statements !== "") return script;
  return (
    `-- prisma/migrations/${name} changes no table or index. If it changes data, write the\n` +
    "-- same statements for PostgreSQL here before anyone applies this migration.\n"
  );
}

/** What is out of date in the twin, one sentence each (empty when in sync). */
export async function twinDrift(postgresUrl: string, paths: TwinPaths = defaultTwinPaths): Promise<string[]> {
  const problems: string[] = [];
  const expected = twinSchema(fs.readFileSync(paths.schemaPath, "utf8"));
  const actual = fs.existsSync(paths.twinSchemaPath) ? fs.readFileSync(paths.twinSchemaPath, "utf8") : null;
  if (actual !== expected) problems.push(`${paths.twinSchemaPath} is not prisma/schema.prisma's twin`);
  const sqliteNames = migrationNames(paths.migrationsDir);
  const twinNames = migrationNames(paths.twinMigrationsDir);
  const missing = sqliteNames.filter((name) => !twinNames.includes(name));
  const extra = twinNames.filter((name) => !sqliteNames.includes(name));
  if (missing.length > 0) problems.push(`SQLite migrations without a PostgreSQL twin: ${missing.join(", ")}`);
  if (extra.length > 0) problems.push(`PostgreSQL migrations without a SQLite original: ${extra.join(", ")}`);

  const { engine, close } = await openSchemaEngine(postgresUrl);
  try {
    const diff = await engine
      .diff({
        from: { tag: "migrations", ...twinMigrationsList(paths) },
        to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: expected }] },
        script: true,
        exitCode: true,
        filters: noFilters,
      })
      .catch((e: unknown) => Promise.reject(engineError("Cannot replay the PostgreSQL migrations", e)));
    if (diff.exitCode !== 0) {
      problems.push(`the PostgreSQL migrations do not reach the twin schema; what is missing:\n${diff.stdout ?? ""}`);
    }
  } finally {
    await close();
  }
  return problems;
}

async function withThrowawayPostgres<T>(work: (url: string) => Promise<T>): Promise<T> {
  const server = await startPostgres();
  try {
    return await work(server.url);
  } finally {
    await server.stop();
  }
}

/** convertMissingMigrations on a PostgreSQL server started for it and deleted after. */
export function convertWithThrowawayPostgres(paths: TwinPaths = defaultTwinPaths): Promise<string[]> {
  return withThrowawayPostgres((url) => convertMissingMigrations(url, paths));
}

const FIX = "Run `npm run db:postgresql` and commit prisma/postgresql.";

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { check: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    process.stdout.write("usage: tsx prisma/postgresql-twin.ts [--check]\n");
    return 0;
  }
  if (values.check) {
    const problems = await withThrowawayPostgres((url) => twinDrift(url));
    for (const problem of problems) process.stderr.write(`${problem}\n`);
    if (problems.length > 0) process.stderr.write(`${FIX}\n`);
    return problems.length > 0 ? 1 : 0;
  }
  if (writeTwinSchema()) process.stdout.write("Wrote prisma/postgresql/schema.prisma\n");
  const made = await convertWithThrowawayPostgres();
  for (const name of made) process.stdout.write(`Created prisma/postgresql/migrations/${name}/migration.sql\n`);
  return 0;
}

runAsCli(import.meta.url, main);
