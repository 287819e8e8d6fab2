/**
 * A PostgreSQL `DATABASE_URL` as node-postgres connection settings, shared by the migrator
 * (prisma/migrate.ts) and the web app's client (apps/web/src/server/db.ts).
 *
 * The URL is parsed into separate fields (host, port, user, password, database, ssl)
 * rather than handed over as `connectionString`: `@prisma/adapter-pg` makes the schema
 * engine's shadow database by spreading these settings with another `database`, and a
 * `connectionString` would override that and point the shadow pool at the real database.
 *
 * `?schema=name` (Prisma's own URL convention) selects a PostgreSQL schema other than
 * `public`; it is not a libpq parameter, so it is taken out before parsing and becomes each
 * connection's search_path (where the migrations' unqualified tables go) and the adapter's
 * schema.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import type { PoolConfig } from "pg";
import { parseIntoClientConfig } from "pg-connection-string";

export interface PostgresConnection {
  pool: PoolConfig;
  /** The PostgreSQL schema the tables live in (`?schema=`), or undefined for `public`. */
  schema: string | undefined;
}

export function postgresConnection(databaseUrl: string): PostgresConnection {
  let url: URL;
  try {
    url = new URL(databaseUrl.trim());
  } catch {
    throw new Error(`DATABASE_URL is not a valid PostgreSQL URL (like postgresql://user:password@host:5432/drydock)`);
  }
  const schema = url.searchParams.get("schema") ?? undefined;
  url.searchParams.delete("schema");
  const pool = parseIntoClientConfig(url.toString()) as PoolConfig;
  if (schema !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) throw new Error(`DATABASE_URL's ?schema= must be a plain identifier, got "${schema}"`);
    pool.options = `${pool.options ?? ""} -c search_path=${schema}`.trim();
  }
  if (!pool.database) {
    throw new Error("DATABASE_URL names no database: end it with /<database>, like postgresql://user:password@host:5432/drydock");
  }
  return { pool, schema };
}

/**
 * The driver adapter factory for a PostgreSQL URL. `onPoolError` hears errors of idle
 * pooled connections (the server restarted, a network cut); the pool drops such a
 * connection and opens a new one for the next query, so they need no more than a log line.
 */
export function postgresAdapter(databaseUrl: string, onPoolError: (error: Error) => void): PrismaPg {
  const { pool, schema } = postgresConnection(databaseUrl);
  return new PrismaPg(pool, { schema, onPoolError, onConnectionError: onPoolError });
}
