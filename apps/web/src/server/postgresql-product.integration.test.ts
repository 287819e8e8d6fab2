import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../../../../prisma/migrate";
import { fleetSandboxes, type RunningDrydock, startDrydock, waitUntil } from "../../../../scripts/lib/drydock-server";
import { type RunningPostgres, startPostgres } from "../../../../test-support/postgres";
import { type Database, openDatabase } from "./db";

/**
 * The whole product on PostgreSQL: the built web app and a real agent with
 * DATABASE_URL=postgresql://… (a throwaway server, test-support/postgres.ts),
 * a learner starting real sandboxes, and PostgreSQL crashing and coming back
 * under the running web app.
 */
const fleet = `${process.env.DRYDOCK_TEST_FLEET_PREFIX ?? "test"}-postgres-${randomBytes(3).toString("hex")}`;
let postgres: RunningPostgres;
let drydock: RunningDrydock;
let db: Database;
let visitor = "";

const sameOrigin = () => ({ origin: drydock.base, "sec-fetch-site": "same-origin", "sec-fetch-mode": "cors" });

async function start(): Promise<{ status: number; id?: string; error?: string; cookie?: string }> {
  const response = await fetch(`${drydock.base}/api/sessions`, {
    method: "POST",
    headers: { ...sameOrigin(), ...(visitor ? { cookie: visitor } : {}) },
  });
  const json = (await response.json()) as { id?: string; error?: string };
  return { status: response.status, ...json, cookie: response.headers.get("set-cookie")?.split(";")[0] };
}

beforeAll(async () => {
  postgres = await startPostgres();
  const url = await postgres.createDatabase("drydock");
  await migrateDatabase(url);
  db = openDatabase(url);
  drydock = await startDrydock({
    webPort: Number(process.env.TEST_WEB_PORT ?? 3190),
    agentPort: Number(process.env.TEST_AGENT_PORT ?? 4290),
    fleet,
    env: { POOL_SIZE: "0", DATABASE_URL: url },
  });
});

afterAll(async () => {
  await drydock?.stop();
  await db?.$disconnect();
  await postgres?.stop();
});

describe("Drydock on PostgreSQL", () => {
  it("starts a learner's sandbox and keeps the session in PostgreSQL", async () => {
    const first = await start();
    expect(first.status, first.error).toBe(201);
    visitor = first.cookie ?? "";
    expect(visitor).toMatch(/^drydock_visitor=/);
    const session = await db.session.findUniqueOrThrow({ where: { id: first.id } });
    expect(["starting", "ready"]).toContain(session.state);
    expect(await fleetSandboxes(fleet)).toHaveLength(1);
  });

  it("carries on by itself after PostgreSQL crashes and restarts under the running web app", async () => {
    await postgres.restart("crash");
    const again = await start(); // reads the visitor's sessions, replaces the first, records the new one
    expect(again.status, `${again.error}\n${drydock.log().slice(-2000)}`).toBe(201);
    await waitUntil("the replaced sandbox is removed and the new session recorded", async () => {
      const [sandboxes, live] = await Promise.all([
        fleetSandboxes(fleet),
        db.session.count({ where: { state: { in: ["starting", "ready"] } } }),
      ]);
      return sandboxes.length === 1 && live === 1;
    });
    expect(await db.session.findUnique({ where: { id: again.id } })).not.toBeNull();
  });
});
