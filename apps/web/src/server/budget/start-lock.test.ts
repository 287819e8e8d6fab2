import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { placeSession } from "../agents/agent-placement";
import { type Database, openDatabase } from "../db";
import { HttpError } from "../http/http-error";
import { createTestDatabase, type TestDatabase, testDatabaseKind } from "../testing/test-database";
import { SlidingWindowRateLimiter } from "./rate-limiter";
import { createStartBudget, type ReservedStart } from "./start-budget";
import { startLock } from "./start-lock";

let test: TestDatabase;
beforeEach(async () => {
  test = await createTestDatabase();
});
afterEach(async () => {
  await test.remove();
});

const CAPACITY = 10;
const FALLBACK = "http://127.0.0.1:4100";

/** A web node's budget, on its own database client as a node in its own process has. */
function webNode(db: Database) {
  return createStartBudget(
    db,
    startLock(db, test.url),
    { perVisitor: 1, capacity: CAPACITY, idleMs: 600_000 },
    new SlidingWindowRateLimiter(1_000, 60_000),
    async () => [],
    (session, records) => placeSession(records, session, FALLBACK),
  );
}

describe("the start lock", () => {
  // SQLite is one web node's file; several web nodes share a PostgreSQL database.
  const nodeCount = testDatabaseKind() === "postgresql" ? 2 : 1;

  it(`${nodeCount} web node(s) reserving 30 starts at once hold the deployment's capacity exactly`, async () => {
    const clients = Array.from({ length: nodeCount }, () => openDatabase(test.url));
    try {
      const budgets = clients.map(webNode);
      const outcomes = await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          (budgets[index % nodeCount] ?? budgets[0])
            ?.reserve({ visitorId: `visitor-${index}`, lessonId: "commit-a-container", workshopId: null })
            .then(
              (reserved: ReservedStart) => reserved,
              (error: unknown) => error,
            ),
        ),
      );
      const refused = outcomes.filter((outcome) => outcome instanceof HttpError);
      expect(refused.map((error) => (error as HttpError).status)).toEqual(Array(30 - CAPACITY).fill(503));
      expect(outcomes.length - refused.length).toBe(CAPACITY);
      expect(await test.db.session.count({ where: { state: { in: ["starting", "ready"] } } })).toBe(CAPACITY);
    } finally {
      await Promise.all(clients.map((client) => client.$disconnect()));
    }
  });

  it("a start that finds a visitor's earlier sandbox of the lesson replaces it, under the lock", async () => {
    const budget = webNode(test.db);
    const first = await budget.reserve({ visitorId: "visitor-1", lessonId: "commit-a-container", workshopId: null });
    const second = await budget.reserve({ visitorId: "visitor-1", lessonId: "commit-a-container", workshopId: null });
    expect(second.replaced.map((session) => session.id)).toEqual([first.sessionId]);
    const states = await test.db.session.findMany({ select: { id: true, state: true }, orderBy: { createdAt: "asc" } });
    expect(Object.fromEntries(states.map((row) => [row.id, row.state]))).toEqual({
      [first.sessionId]: "gone",
      [second.sessionId]: "starting",
    });
  });
});
