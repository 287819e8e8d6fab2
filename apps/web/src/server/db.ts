import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { databaseKind } from "../../../../prisma/database-url";
import { postgresAdapter } from "../../../../prisma/postgres-connection";
import { PrismaClient } from "../../generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "../../generated/prisma-postgresql/client";

/**
 * The app's one client type. Both generated clients come from the same models
 * (prisma/postgresql/schema.prisma is prisma/schema.prisma's twin), so the PostgreSQL
 * one answers every call the SQLite one's type allows; their types differ only in the
 * transaction isolation levels each database offers, hence the cast below.
 */
export type Database = PrismaClient;

/**
 * The control plane's database through Prisma: SQLite for a `file:` URL, PostgreSQL for a
 * `postgresql://` one. server.ts opens it once for the process.
 *
 * On PostgreSQL, a connection the server drops (a restart, a failover) leaves the pool, and
 * the next query opens a new one; `onConnectionLost` hears about each such drop.
 */
export function openDatabase(url: string, onConnectionLost: (error: Error) => void = () => {}): Database {
  if (databaseKind(url) === "postgresql") {
    return new PostgresPrismaClient({ adapter: postgresAdapter(url, onConnectionLost) }) as unknown as Database;
  }
  return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
}
