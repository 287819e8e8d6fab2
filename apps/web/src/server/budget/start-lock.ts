import { databaseKind } from "../../../../../prisma/database-url";
import type { Prisma } from "../../../generated/prisma/client";
import type { Database } from "../db";

/** What a start reads and writes with: the database, or a transaction of it. */
export type StartRecords = Prisma.TransactionClient;

/**
 * Runs a start's read of the live sessions and its record of the new one as
 * one step for the whole deployment, so two web nodes cannot both take the
 * last place.
 */
export type StartLock = <T>(work: (records: StartRecords) => Promise<T>) => Promise<T>;

/**
 * An arbitrary constant naming Drydock's start lock among PostgreSQL's
 * advisory locks ("dryd" in ASCII): any other user of advisory locks on the
 * same database picks its own.
 */
const START_LOCK_KEY = 0x64727964;

/**
 * PostgreSQL: a transaction that first takes a transaction-level advisory
 * lock, which every web node's start waits for and the commit (or a dropped
 * connection) releases. SQLite is one web node's file, whose starts the
 * budget already runs one at a time: the work runs as it is.
 *
 * The transaction holds only database work: asking agents about their
 * sandboxes happens outside it (start-budget.ts), so a machine that does
 * not answer never holds every node's starts.
 */
export function startLock(db: Database, url: string): StartLock {
  if (databaseKind(url) !== "postgresql") return (work) => work(db);
  return (work) =>
    db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${START_LOCK_KEY}::bigint)`;
        return work(tx);
      },
      // Waits behind the other nodes' starts (each a few queries) rather than failing at Prisma's 2 s and 5 s defaults.
      { maxWait: 15_000, timeout: 30_000 },
    );
}
