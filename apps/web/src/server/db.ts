import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../../generated/prisma/client";

export type Database = PrismaClient;

/** The control plane's database (SQLite through Prisma); server.ts opens it once for the process. */
export function openDatabase(url: string): Database {
  return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
}
