import { createLogger } from "@drydock/server-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadLessonLibrary } from "../lessons/lesson-library";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { type RoomRecords, seatRows } from "./dashboard-state";
import { newSeat } from "./workshop-records";

const MINUTE = 60_000;
let test: TestDatabase;
let records: RoomRecords;
const now = Date.now();
const ago = (minutes: number) => new Date(now - minutes * MINUTE);

beforeAll(async () => {
  test = await createTestDatabase();
  records = {
    db: test.db,
    lessons: await loadLessonLibrary(
      undefined,
      createLogger("test", () => {}),
    ),
  };
});
afterAll(() => test.remove());

async function seat(workshopId: string, name: string | null) {
  return test.db.seat.create({ data: { ...newSeat(workshopId), name, joinedAt: ago(30) } });
}

describe("the dashboard's rows, from the database alone", () => {
  it("shows each step's state and flags the attendee who is stuck, with the reasons", async () => {
    const lesson = records.lessons.find("commit-a-container");
    const [first, second] = lesson?.steps ?? [];
    if (!lesson || !first || !second) throw new Error("the built-in lesson commit-a-container is missing");
    const workshop = await test.db.workshop.create({
      data: {
        id: "wks_rows",
        code: "ROWS23",
        title: "Rows",
        lessonIds: JSON.stringify([lesson.id]),
        startsAt: ago(60),
        endsAt: new Date(now + 60 * MINUTE),
        capacity: 10,
        state: "running",
      },
    });
    const fast = await seat(workshop.id, "Fast");
    const steady = await seat(workshop.id, "Steady");
    const stuck = await seat(workshop.id, "Stuck");
    await seat(workshop.id, null);
    for (const [done, minutes] of [
      [fast, 3],
      [steady, 5],
    ] as const) {
      await test.db.seatStep.create({
        data: { seatId: done.id, lessonId: lesson.id, stepId: first.id, enteredAt: ago(20), passedAt: ago(18) },
      });
      await test.db.seatStep.create({
        data: { seatId: done.id, lessonId: lesson.id, stepId: second.id, enteredAt: ago(15), passedAt: ago(15 - minutes) },
      });
    }
    await test.db.seatStep.create({
      data: { seatId: stuck.id, lessonId: lesson.id, stepId: first.id, enteredAt: ago(20), passedAt: ago(14) },
    });
    await test.db.seatStep.create({ data: { seatId: stuck.id, lessonId: lesson.id, stepId: second.id, enteredAt: ago(12), attempts: 3 } });
    for (const minutes of [6, 4, 2]) {
      await test.db.checkAttempt.create({
        data: {
          seatId: stuck.id,
          lessonId: lesson.id,
          stepId: second.id,
          passed: false,
          output: "FAIL: figlet is not installed",
          at: ago(minutes),
        },
      });
      await test.db.commandMark.create({ data: { seatId: stuck.id, exitCode: 100, command: "apt-get install figlett", at: ago(minutes) } });
    }

    // Fast and Steady are at work (their last commands a minute ago); Stuck's last failures are their last signals.
    for (const working of [fast, steady])
      await test.db.commandMark.create({ data: { seatId: working.id, exitCode: 0, command: "ls", at: ago(1) } });
    const rows = await seatRows(records, workshop, (id) => id === fast.id, now);
    expect(rows.map((row) => row.name)).toEqual(["Fast", "Steady", "Stuck"]);
    const byName = new Map(rows.map((row) => [row.name, row]));
    const key = (stepId: string) => `${lesson.id}/${stepId}`;
    expect(byName.get("Fast")).toMatchObject({ online: true, passedCount: 2, stuck: [], sandbox: "none", lastExitCodes: [0] });
    expect(byName.get("Steady")?.stuck).toEqual([]);
    expect(byName.get("Fast")?.cells[key(second.id)]?.state).toBe("passed");
    const stuckRow = byName.get("Stuck");
    expect(stuckRow).toMatchObject({ online: false, passedCount: 1, currentStep: key(second.id), lastExitCodes: [100, 100, 100] });
    expect(stuckRow?.cells[key(second.id)]).toMatchObject({ state: "current", failed: 3 });
    expect(stuckRow?.stuck.map((flag) => flag.reason)).toEqual([
      "3 failed checks in 6 min",
      "3 failed commands in 6 min (last exit 100)",
      `12 min on "${second.title}"; the room's median is 4 min`,
    ]);
  });

  it("flags nobody while the workshop is paused or not yet running", async () => {
    const workshop = await test.db.workshop.update({ where: { id: "wks_rows" }, data: { pausedAt: new Date() } });
    const rows = await seatRows(records, workshop, () => false, now);
    expect(rows.every((row) => row.stuck.length === 0)).toBe(true);
  });
});
