/**
 * prisma/postgresql/schema.prisma: prisma/schema.prisma made PostgreSQL's, by a plain text
 * rewrite (no database, no engine), so prisma/generate.sh can redo it before generating.
 *
 *   tsx prisma/postgresql-schema.ts      write the twin schema if it differs
 *
 * Its migrations are made by postgresql-twin.ts.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runAsCli } from "./run-as-cli";

const here = path.dirname(fileURLToPath(import.meta.url));

export interface TwinPaths {
  /** prisma/schema.prisma */
  schemaPath: string;
  /** prisma/migrations */
  migrationsDir: string;
  /** prisma/postgresql/schema.prisma */
  twinSchemaPath: string;
  /** prisma/postgresql/migrations */
  twinMigrationsDir: string;
}

export const defaultTwinPaths: TwinPaths = {
  schemaPath: path.join(here, "schema.prisma"),
  migrationsDir: path.join(here, "migrations"),
  twinSchemaPath: path.join(here, "postgresql", "schema.prisma"),
  twinMigrationsDir: path.join(here, "postgresql", "migrations"),
};

const HEADER =
  "// GENERATED from prisma/schema.prisma by prisma/postgresql-schema.ts: do not edit. Change\n" +
  "// prisma/schema.prisma, then `npm run db:new-migration -- <name>` (or `npm run db:postgresql`).\n\n";

/** prisma/schema.prisma's text, made PostgreSQL's. Throws if its datasource or client output is not where expected. */
export function twinSchema(sqliteSchema: string): string {
  const replaceOnce = (text: string, pattern: RegExp, replacement: string, what: string) => {
    const matches = text.match(new RegExp(pattern.source, "gm"));
    if (matches?.length !== 1) throw new Error(`prisma/schema.prisma must have exactly one ${what} (found ${matches?.length ?? 0})`);
    return text.replace(new RegExp(pattern.source, "m"), replacement);
  };
  let twin = replaceOnce(sqliteSchema, /^(\s*provider\s*=\s*)"sqlite"/, '$1"postgresql"', 'datasource `provider = "sqlite"`');
  twin = replaceOnce(
    twin,
    /^(\s*output\s*=\s*)"\.\.\/apps\/web\/generated\/prisma"/,
    '$1"../../apps/web/generated/prisma-postgresql"',
    "client `output`",
  );
  return HEADER + twin;
}

/** Writes the twin schema if it differs; true when it changed. */
export function writeTwinSchema(paths: TwinPaths = defaultTwinPaths): boolean {
  const twin = twinSchema(fs.readFileSync(paths.schemaPath, "utf8"));
  if (fs.existsSync(paths.twinSchemaPath) && fs.readFileSync(paths.twinSchemaPath, "utf8") === twin) return false;
  fs.mkdirSync(path.dirname(paths.twinSchemaPath), { recursive: true });
  fs.writeFileSync(paths.twinSchemaPath, twin, "utf8");
  return true;
}

runAsCli(import.meta.url, async () => {
  if (writeTwinSchema()) process.stdout.write("Wrote prisma/postgresql/schema.prisma\n");
  return 0;
});
