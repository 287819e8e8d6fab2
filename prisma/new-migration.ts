/**
 * Author the next migration offline: `tsx prisma/new-migration.ts <name> [--draft]`.
 *
 * The equivalent of `prisma migrate dev --create-only --name <name>`, run by Prisma's own
 * schema engine compiled to WebAssembly (see schema-engine.ts): the existing migrations are
 * replayed on an in-memory SQLite database, the result is diffed against prisma/schema.prisma,
 * and the SQL Prisma generates is written to prisma/migrations/<timestamp>_<name>/migration.sql
 * (plus migration_lock.toml). Then its PostgreSQL twin is made in prisma/postgresql/migrations
 * (prisma/postgresql-twin.ts, on a throwaway PostgreSQL server). Your real database is not
 * touched; apply with `tsx prisma/migrate.ts`.
 *
 * `--draft` writes an (empty) migration even when the schema has not changed, for hand-written SQL.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { writeTwinSchema } from "./postgresql-schema";
import { convertWithThrowawayPostgres } from "./postgresql-twin";
import { runAsCli } from "./run-as-cli";
import { engineError, migrationLockToml, noFilters, openSchemaEngine, readMigrationsList } from "./schema-engine";

const here = path.dirname(fileURLToPath(import.meta.url));

export interface NewMigrationOptions {
  name: string;
  schemaPath?: string;
  migrationsDir?: string;
  /** Write a migration even if it would be empty. */
  draft?: boolean;
}

/** Returns the new folder's name, or null when the schema matches the migrations already. */
export async function createNextMigration(options: NewMigrationOptions): Promise<string | null> {
  const schemaPath = path.resolve(options.schemaPath ?? path.join(here, "schema.prisma"));
  const migrationsDir = path.resolve(options.migrationsDir ?? path.join(here, "migrations"));
  const name = options.name.trim();
  if (!/^[A-Za-z0-9_-]+$/.test(name)) {
    throw new Error(`Migration name must be letters, digits, "_" or "-" (got "${options.name}")`);
  }
  const schema = { path: path.basename(schemaPath), content: fs.readFileSync(schemaPath, "utf8") };
  const migrationsList = readMigrationsList(migrationsDir);

  const { engine, close } = await openSchemaEngine(":memory:", schema);
  try {
    // Replay the history on the scratch database first: this checks every existing migration
    // still applies, and (on SQLite) it is what lets the engine set up its shadow database.
    await engine
      .applyMigrations({ migrationsList, filters: noFilters })
      .catch((e: unknown) => Promise.reject(engineError("Existing migrations do not apply cleanly", e)));
    await engine
      .devDiagnostic({ migrationsList, filters: noFilters })
      .catch((e: unknown) => Promise.reject(engineError("Migration history check failed", e)));
    const created = await engine
      .createMigration({
        draft: options.draft ?? false,
        migrationName: name,
        migrationsList,
        schema: { files: [schema] },
        filters: noFilters,
      })
      .catch((e: unknown) => Promise.reject(engineError("Could not create the migration", e)));
    if (created.migrationScript === null) return null;

    const dir = path.join(migrationsDir, created.generatedMigrationName);
    if (fs.existsSync(dir)) throw new Error(`The migration directory already exists at ${dir}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `migration.${created.extension}`), created.migrationScript, "utf8");
    fs.writeFileSync(path.join(migrationsDir, "migration_lock.toml"), migrationLockToml(created.connectorType), "utf8");
    return created.generatedMigrationName;
  } finally {
    await close();
  }
}

async function main(argv: string[]): Promise<number> {
  // Strict: an unknown flag throws, and the message says which.
  const { values, positionals } = parseArgs({
    args: argv,
    options: { draft: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
  const [name] = positionals;
  if (name === undefined || positionals.length !== 1 || values.help) {
    process.stderr.write("usage: tsx prisma/new-migration.ts <name> [--draft]\n");
    return 2;
  }
  const created = await createNextMigration({ name, draft: values.draft ?? false });
  if (created === null) {
    process.stdout.write("prisma/schema.prisma already matches the migrations: nothing to create.\n");
  } else {
    process.stdout.write(`Created prisma/migrations/${created}/migration.sql\n`);
  }
  // The PostgreSQL twin follows (prisma/postgresql-twin.ts), also for migrations made before it existed.
  writeTwinSchema();
  const converted = await convertWithThrowawayPostgres().catch((error: unknown) => {
    throw new Error(
      `The SQLite migration is made, but not its PostgreSQL twin: ${(error as Error).message}\n` +
        "Fix that, then run `npm run db:postgresql` to make the twin.",
      { cause: error },
    );
  });
  for (const twin of converted) process.stdout.write(`Created prisma/postgresql/migrations/${twin}/migration.sql\n`);
  return 0;
}

runAsCli(import.meta.url, main);
