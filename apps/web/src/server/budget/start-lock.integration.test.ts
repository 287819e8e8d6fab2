import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../../../../../prisma/migrate";
import { waitUntil } from "../../../../../scripts/lib/drydock-server";
import { type RunningPostgres, startPostgres } from "../../../../../test-support/postgres";
import { placeSession } from "../agents/agent-placement";
import { type Database, openDatabase } from "../db";
import { HttpError } from "../http/http-error";
import { SlidingWindowRateLimiter } from "./rate-limiter";
import { createStartBudget, type PlaceSession } from "./start-budget";
import { startLock } from "./start-lock";

/**
 * Two web nodes starting at the same moment on PostgreSQL, made to collide on
 * purpose: node 1 is held between reading the live sessions and recording its
 * own while node 2 starts. Without the start lock, node 2 reads the same
 * count and both take the last place.
 */
let postgres: RunningPostgres;
let url = "";
let nodes: Database[] = [];
let observer: pg.Client;

beforeAll(async () => {
  postgres = await startPostgres();
  url = await postgres.createDatabase("drydock");
  await migrateDatabase(url);
  nodes = [openDatabase(url), openDatabase(url)];
  observer = new pg.Client({ connectionString: url });
  await observer.connect();
});

afterAll(async () => {
  await observer?.end();
  await Promise.all(nodes.map((node) => node.$disconnect()));
  await postgres?.stop();
});

function webNode(db: Database, place: PlaceSession) {
  return createStartBudget(
    db,
    startLock(db, url),
    { perVisitor: 1, capacity: 1, idleMs: 600_000 },
    new SlidingWindowRateLimiter(1_000, 60_000),
    async () => [],
    place,
  );
}

/** Sessions waiting for an advisory lock another transaction holds. */
async function advisoryLockWaiters(): Promise<number> {
  const { rows } = await observer.query<{ waiting: string }>(
    "SELECT count(*) AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
  );
  return Number(rows[0]?.waiting ?? 0);
}

describe("the start lock on PostgreSQL", () => {
  it("two web nodes after the deployment's last place: one gets it, the other a 503, never both", async () => {
    const [first, second] = nodes as [Database, Database];
    const place: PlaceSession = (session, records) => placeSession(records, session, "http://127.0.0.1:4100");
    const secondNode = webNode(second, place);
    let secondStart: Promise<unknown> | undefined;
    let secondSettled = false;
    const firstNode = webNode(first, async (session, records) => {
      // Node 1 has read "no live session" and is about to record its own: node 2 starts now.
      secondStart = secondNode.reserve({ visitorId: "visitor-2", lessonId: null, workshopId: null }).then(
        (reserved) => reserved,
        (error: unknown) => error,
      );
      void secondStart.finally(() => {
        secondSettled = true;
      });
      await waitUntil("node 2 has finished or waits for the lock", async () => secondSettled || (await advisoryLockWaiters()) > 0);
      return place(session, records);
    });

    const firstReserved = await firstNode.reserve({ visitorId: "visitor-1", lessonId: null, workshopId: null });
    const secondOutcome = await secondStart;

    expect(firstReserved.sessionId).toMatch(/^ses_/);
    expect(secondOutcome).toBeInstanceOf(HttpError);
    expect((secondOutcome as HttpError).status).toBe(503);
    expect(await first.session.count({ where: { state: { in: ["starting", "ready"] } } })).toBe(1);
  });
});
