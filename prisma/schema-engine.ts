/**
 * Prisma's schema engine, run offline as WebAssembly.
 *
 * The native schema engine binary (what `prisma migrate` normally spawns) is downloaded
 * on demand from binaries.prisma.sh, which this environment cannot reach. The prisma
 * package ships the same engine compiled to WebAssembly (`prisma/build/schema_engine_bg.wasm`,
 * built from the exact engines commit of the installed CLI); its JS glue is published as
 * `@prisma/schema-engine-wasm`. The engine talks to SQLite and PostgreSQL through Prisma's own
 * driver adapters (`@prisma/adapter-better-sqlite3`, `@prisma/adapter-pg`), so migrations are
 * applied and recorded by Prisma's code, not by a re-implementation.
 *
 * Pitfalls handled here:
 * - Node 20 cannot `import` a .wasm file, so the module is instantiated by hand with the
 *   glue as its import object, once per process (instantiating twice breaks the glue's state).
 * - The engine opens its connection with `PRAGMA locking_mode=EXCLUSIVE`; every connection it
 *   opened is closed in `close()`, otherwise the app could not open the database afterwards.
 * - On SQLite the engine only gets a shadow database after `devDiagnostic` has run (it reports
 *   "SQLite shadow DB must be provided through an external factory" otherwise), so callers
 *   that need one run `applyMigrations` → `devDiagnostic` → `createMigration`/`diff`.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine, SchemaFilter } from "@prisma/schema-engine-wasm/schema_engine_bg";
import * as glue from "@prisma/schema-engine-wasm/schema_engine_bg";
import { databaseFilePath, databaseKind } from "./database-url";
import { postgresConnection } from "./postgres-connection";

export type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";

export const noFilters: SchemaFilter = { externalTables: [], externalEnums: [] };

/** Where the wasm came from, for diagnostics. */
export interface WasmInfo {
  path: string;
  engineVersion: string;
}

let loaded: WasmInfo | undefined;

/** The bits of the WebAssembly global used here (the root tsconfig has no DOM lib to declare it). */
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object, imports: Record<string, object>) => { exports: Record<string, unknown> };
    };
  }
).WebAssembly;

/**
 * Instantiate the schema engine wasm (once per process). Prefers the build shipped inside the
 * installed `prisma` CLI package — the very engine `prisma migrate deploy` would run — and
 * falls back to the copy inside `@prisma/schema-engine-wasm` if the CLI's build is absent
 * (production install without devDependencies) or no longer links with this glue.
 */
export function loadSchemaEngineWasm(): WasmInfo {
  if (loaded) return loaded;
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } };
  // The glue reports Rust panics through this global; keep the last message for the error.
  g.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message(message: string) {
      lastPanicMessage = message;
    },
  };
  const require = createRequire(import.meta.url);
  const candidates: string[] = [];
  try {
    candidates.push(path.join(path.dirname(require.resolve("prisma/package.json")), "build", "schema_engine_bg.wasm"));
  } catch {
    // prisma CLI not installed (devDependency); use the glue package's own build.
  }
  candidates.push(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg").replace(/\.js$/, ".wasm"));
  const failures: string[] = [];
  for (const wasmPath of candidates) {
    if (!fs.existsSync(wasmPath)) {
      failures.push(`${wasmPath}: missing`);
      continue;
    }
    let instance: { exports: Record<string, unknown> };
    try {
      const module = new wasm.Module(fs.readFileSync(wasmPath));
      instance = new wasm.Instance(module, { "./schema_engine_bg.js": glue });
    } catch (error) {
      // A LinkError means this wasm was built with a different wasm-bindgen than the glue.
      failures.push(`${wasmPath}: ${(error as Error).message}`);
      continue;
    }
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    loaded = { path: wasmPath, engineVersion: glue.version() };
    if (failures.some((f) => !f.endsWith(": missing"))) {
      process.stderr.write(
        `warning: prisma's schema engine wasm did not link with @prisma/schema-engine-wasm (${failures.join("; ")}); ` +
          `using ${wasmPath} (engine ${loaded.engineVersion}). Align the two package versions.\n`,
      );
    }
    return loaded;
  }
  throw new Error(`Cannot load Prisma's WebAssembly schema engine:\n  ${failures.join("\n  ")}`);
}

let lastPanicMessage: string | undefined;

/** A schema engine bound to one database, plus the connections it opened. */
export interface OpenEngine {
  engine: SchemaEngine;
  /** Engine log lines (JSON strings), for debugging; printed live if DRYDOCK_DB_DEBUG is set. */
  logs: string[];
  /** Free the engine and close every connection it opened. Idempotent. */
  close(): Promise<void>;
}

/**
 * Open the wasm schema engine on a database: `":memory:"` (a scratch SQLite), a SQLite
 * `file:` URL, or a `postgresql://` URL. The shadow database, when the engine needs one, is
 * an in-memory SQLite, or on PostgreSQL a temporary database the adapter creates and drops
 * on the same server (so the URL's user needs CREATEDB for commands that use one; applying
 * migrations does not).
 */
export async function openSchemaEngine(database: string, schema?: { path: string; content: string }): Promise<OpenEngine> {
  loadSchemaEngineWasm();
  const inner = adapterFactory(database);
  const opened: SqlDriverAdapter[] = [];
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect() {
      const adapter = await inner.connect();
      opened.push(adapter);
      return adapter;
    },
    async connectToShadowDb() {
      const adapter = await inner.connectToShadowDb();
      opened.push(adapter);
      return inner.provider === "sqlite" ? scriptTolerant(adapter) : adapter;
    },
  };
  const logs: string[] = [];
  const debug = Boolean(process.env.DRYDOCK_DB_DEBUG);
  const engine = await glue.SchemaEngine.new(
    { datamodels: schema ? [[schema.path, schema.content]] : undefined },
    (line: unknown) => {
      const text = typeof line === "string" ? line : JSON.stringify(line);
      logs.push(text);
      if (debug) process.stderr.write(`[schema-engine] ${text}\n`);
    },
    bindMigrationAwareSqlAdapterFactory(tracked),
  );
  let closed = false;
  return {
    engine,
    logs,
    async close() {
      if (closed) return;
      closed = true;
      engine.free();
      for (const adapter of opened.splice(0)) {
        try {
          await adapter.dispose();
        } catch {
          // already closed
        }
      }
    },
  };
}

function adapterFactory(database: string): SqlMigrationAwareDriverAdapterFactory {
  if (database !== ":memory:" && databaseKind(database) === "postgresql") return postgresMigrationFactory(database);
  // unixepoch-ms: bind DateTime values as integer milliseconds, which is how the native engine
  // writes _prisma_migrations.started_at/finished_at on SQLite (the adapter default is ISO text).
  return new PrismaBetterSqlite3(
    { url: database === ":memory:" ? ":memory:" : `file:${databaseFilePath(database)}` },
    { timestampFormat: "unixepoch-ms" },
  );
}

/**
 * PostgreSQL through `@prisma/adapter-pg`, with three repairs for the schema engine:
 * - the shadow database is of our own making: the adapter's own drops the shadow database
 *   before closing the pool connected to it, which PostgreSQL refuses ("is being accessed by
 *   other users"), and gives that pool no error listener;
 * - the engine reads PostgreSQL's catalogs, whose internal `"char"` columns (pg_class.relkind
 *   and the like) the adapter cannot type ("Column type 'char' could not be deserialized"):
 *   node-postgres already parsed them as one-letter strings, so they are declared text;
 * - the adapter runs a migration script statement by statement, split at every ";" (also one
 *   inside a string or a function body), each committed on its own, so a failing migration
 *   would stay half applied; here the script goes to PostgreSQL whole, as one simple query,
 *   which PostgreSQL runs as one transaction, as the native engine has it.
 * Errors of idle connections surface on the next query instead.
 */
function postgresMigrationFactory(databaseUrl: string): SqlMigrationAwareDriverAdapterFactory {
  const { pool, schema } = postgresConnection(databaseUrl);
  const ignore = () => {};
  const main = new PrismaPg(pool, { schema, onPoolError: ignore });
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => forSchemaEngine(await main.connect()),
    async connectToShadowDb() {
      const admin = await main.connect();
      const database = `prisma_migrate_shadow_db_${randomUUID()}`;
      await admin.executeScript(`CREATE DATABASE "${database}"`);
      const shadow = forSchemaEngine(await new PrismaPg({ ...pool, database }, { schema, onPoolError: ignore }).connect());
      const closeShadow = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await closeShadow();
        await admin.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
        await admin.dispose();
      };
      return shadow;
    },
  };
}

const PG_CHAR = 18; // the internal one-byte "char" type
const PG_TEXT = 25;

type QueryFunction = (...args: unknown[]) => Promise<{ fields?: { dataTypeID: number }[] }>;

interface PostgresError {
  message: string;
  code?: string;
  severity?: string;
  detail?: string;
  column?: string;
  hint?: string;
}

/** See postgresMigrationFactory: `"char"` columns declared text, and scripts run whole. */
function forSchemaEngine(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const pool = (adapter as { underlyingDriver?(): { query: QueryFunction } }).underlyingDriver?.();
  if (!pool) throw new Error("@prisma/adapter-pg no longer exposes its pool (underlyingDriver): the schema engine needs it");
  const query = pool.query.bind(pool);
  pool.query = async (...args) => {
    const result = await query(...args);
    for (const field of result.fields ?? []) if (field.dataTypeID === PG_CHAR) field.dataTypeID = PG_TEXT;
    return result;
  };
  adapter.executeScript = async (script) => {
    try {
      await query(script); // no parameters: the simple query protocol, several statements in one transaction
    } catch (error) {
      const { message, code, severity, detail, column, hint } = error as PostgresError;
      throw new DriverAdapterError({ kind: "postgres", code: code ?? "N/A", severity: severity ?? "N/A", message, detail, column, hint });
    }
  };
  return adapter;
}

/**
 * The engine replays migration files on the shadow database with `executeRaw`, which
 * better-sqlite3 runs through `prepare()`: that rejects a script of several statements
 * ("The supplied SQL string contains more than one statement"). Run such scripts with
 * `executeScript` (better-sqlite3's `exec`) instead, as the engine does on the main database.
 */
function scriptTolerant(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      const text = `${(error as Error)?.message ?? ""} ${String((error as { cause?: unknown })?.cause ?? "")}`;
      if (query.args.length > 0 || !text.includes("more than one statement")) throw error;
      await adapter.executeScript(query.sql);
      return 0;
    }
  };
  return adapter;
}

/**
 * Read a migrations folder the way the Prisma CLI does (`prisma/migrations/<name>/migration.sql`,
 * sorted by folder name, plus `migration_lock.toml`) into the engine's input shape.
 */
export function readMigrationsList(migrationsDir: string): MigrationList {
  const baseDir = path.resolve(migrationsDir);
  const lockPath = path.join(baseDir, "migration_lock.toml");
  const lockContent = fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null;
  const entries = fs.existsSync(baseDir) ? fs.readdirSync(baseDir, { withFileTypes: true }) : [];
  const migrationDirectories = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b))
    .map((name) => {
      let content: MigrationList["migrationDirectories"][number]["migrationFile"]["content"];
      try {
        content = { tag: "ok", value: fs.readFileSync(path.join(baseDir, name, "migration.sql"), "utf8") };
      } catch (error) {
        content = { tag: "error", value: (error as Error).message };
      }
      return { path: name, migrationFile: { path: "migration.sql", content } };
    });
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

/** The lock file the Prisma CLI writes next to the migrations (byte for byte). */
export function migrationLockToml(provider: string): string {
  return `# Please do not edit this file manually
# It should be added in your version-control system (e.g., Git)
provider = "${provider}"
`;
}

/**
 * Engine errors carry a Rust span trace after the message ("   0: sql_schema_connector::...").
 * Keep the human part; the full text stays available as `cause`.
 */
export function engineError(prefix: string, error: unknown): Error {
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.split(/\n\s+0: /)[0]?.trim() || raw;
  const panic = lastPanicMessage ? ` (engine panic: ${lastPanicMessage})` : "";
  lastPanicMessage = undefined;
  return new Error(`${prefix}: ${message}${panic}`, { cause: error });
}
