import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../../../../prisma/migrate";
import { type RunningPostgres, startPostgres } from "../../../../test-support/postgres";
import { type Database, openDatabase } from "./db";

/**
 * openDatabase on a real PostgreSQL server (test-support/postgres.ts): the generated
 * PostgreSQL client behind the app's one client type, and what happens to an open client
 * when the server restarts under it.
 */
let server: RunningPostgres;
let db: Database;
const lost: Error[] = [];

beforeAll(async () => {
  server = await startPostgres();
  const url = await server.createDatabase("drydock");
  await migrateDatabase(url);
  db = openDatabase(url, (error) => lost.push(error));
});
afterAll(async () => {
  await db?.$disconnect();
  await server?.stop();
});

let sessions = 0;
const newSession = () =>
  db.session.create({ data: { id: `ses_pg${++sessions}`, visitorId: "vis_pg", agentUrl: "http://127.0.0.1:4100", state: "requested" } });

describe("openDatabase(postgresql://…)", () => {
  it("writes and reads through the PostgreSQL client: defaults, @updatedAt, dates, relations and transactions", async () => {
    const created = await newSession();
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(created.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    const expiresAt = new Date("2026-12-01T09:30:00.123Z");
    const updated = await db.session.update({ where: { id: created.id }, data: { state: "ready", expiresAt } });
    expect(updated.expiresAt?.toISOString()).toBe(expiresAt.toISOString());
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());

    const workshop = await db.workshop.create({
      data: {
        id: "wks_pg",
        code: "PGPG23",
        title: "On PostgreSQL",
        lessonIds: "[]",
        startsAt: expiresAt,
        endsAt: expiresAt,
        capacity: 3,
        state: "draft",
        seatCpus: 0.5,
      },
    });
    await db.$transaction([
      db.seat.create({ data: { id: "seat_pg", workshopId: workshop.id, visitorId: "vis_seat", rejoinCode: "R1" } }),
      db.workshopMessage.create({ data: { workshopId: workshop.id, text: "hello", fromName: "Ann" } }),
    ]);
    const read = await db.workshop.findUniqueOrThrow({ where: { id: "wks_pg" }, include: { seats: true, messages: true } });
    expect(read.seatCpus).toBe(0.5);
    expect(read.seats.map((seat) => seat.id)).toEqual(["seat_pg"]);
    expect(read.messages[0]?.id).toBeGreaterThan(0); // autoincrement (SERIAL)
    await expect(
      db.seat.create({ data: { id: "seat_pg2", workshopId: workshop.id, visitorId: "vis_seat", rejoinCode: "R2" } }),
    ).rejects.toMatchObject({
      code: "P2002",
    });
  });

  it.each(["fast", "crash"] as const)("answers the next query after PostgreSQL restarts under the open client (%s)", async (how) => {
    await newSession(); // the pool holds an idle connection now
    lost.length = 0;
    await server.restart(how);
    const after = await newSession();
    expect(await db.session.findUnique({ where: { id: after.id } })).toMatchObject({ state: "requested" });
    expect(lost.length).toBeGreaterThan(0); // the dropped connection was heard, not thrown
  });
});
