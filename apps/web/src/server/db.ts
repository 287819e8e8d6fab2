import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../../generated/prisma/client";
import { webConfig } from "./config";

const globalForPrisma = globalThis as unknown as { drydockPrisma?: PrismaClient };

/** One client per process (Next's dev reloads would otherwise open a new one per edit). */
export function db(): PrismaClient {
  globalForPrisma.drydockPrisma ??= new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: webConfig().DATABASE_URL }) });
  return globalForPrisma.drydockPrisma;
}
