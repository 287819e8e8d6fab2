import { createLogger } from "@drydock/server-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseWebConfig } from "../config";
import { createInstructor } from "../instructors/instructor-accounts";
import { loadLessonLibrary } from "../lessons/lesson-library";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import {
  createWorkshop,
  deleteWorkshop,
  getWorkshop,
  inviteCoInstructor,
  listWorkshops,
  removeCoInstructor,
  transitionWorkshop,
  updateWorkshop,
  type WorkshopAdminContext,
} from "./workshop-admin";

let test: TestDatabase;
let ctx: WorkshopAdminContext;
const ids = { owner: "", co: "", stranger: "" };

beforeAll(async () => {
  test = await createTestDatabase();
  const config = parseWebConfig({
    DRYDOCK_AGENT_SECRET: "s".repeat(32),
    DATABASE_URL: test.url,
    SANDBOX_MEMORY_MIB: "1024",
    SANDBOX_CPUS: "1",
  });
  ctx = {
    db: test.db,
    config,
    lessons: await loadLessonLibrary(
      undefined,
      createLogger("test", () => {}),
    ),
  };
  const password = "correct horse battery";
  ids.owner = (await createInstructor(test.db, { email: "owner@example.org", name: "Olive Owner", password })).id;
  ids.co = (await createInstructor(test.db, { email: "co@example.org", name: "Cole Co", password })).id;
  ids.stranger = (await createInstructor(test.db, { email: "stranger@example.org", name: "Stan Stranger", password })).id;
}, 60_000);
afterAll(async () => {
  await test?.remove();
});

const form = (change: Record<string, unknown> = {}) => ({
  title: "Docker basics",
  lessonIds: ["dockerfile-layers", "commit-a-container"],
  startsAt: "2026-12-01T09:00:00.000Z",
  endsAt: "2026-12-01T12:00:00.000Z",
  capacity: 30,
  seatMemoryMib: 512,
  seatCpus: 0.5,
  preparedSeats: 5,
  recordTerminals: false,
  ...change,
});

async function joinOneAttendee(workshopId: string): Promise<void> {
  const n = Math.random().toString(36).slice(2);
  await test.db.seat.create({
    data: { id: `seat_${n}`, workshopId, visitorId: `v_${n}`, rejoinCode: `R${n}`, name: "Ada", joinedAt: new Date() },
  });
}

describe("workshop administration (real SQLite)", () => {
  it("creates a draft owned by its maker, with its lessons in order and a join code", async () => {
    const made = await createWorkshop(ctx, ids.owner, form());
    expect(made).toMatchObject({
      title: "Docker basics",
      state: "draft",
      role: "owner",
      capacity: 30,
      seatMemoryMib: 512,
      lessons: [{ id: "dockerfile-layers" }, { id: "commit-a-container" }],
      instructors: [{ id: ids.owner, role: "owner" }],
      allowed: { edit: true, delete: true, invite: true, transitions: ["open", "ended"] },
    });
    expect(made.code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    const second = await createWorkshop(ctx, ids.owner, form({ title: "Second" }));
    expect(second.code).not.toBe(made.code);
  });

  it("refuses a form beyond the deployment's limits before writing anything", async () => {
    const before = await test.db.workshop.count();
    await expect(createWorkshop(ctx, ids.owner, form({ seatMemoryMib: 4096 }))).rejects.toMatchObject({
      status: 400,
      message: "Memory per seat: at most 1024 MiB, this deployment's limit per sandbox.",
    });
    expect(await test.db.workshop.count()).toBe(before);
  });

  it("answers 404 to an instructor who does not run the workshop, for every action", async () => {
    const { id } = await createWorkshop(ctx, ids.owner, form({ title: "Private" }));
    const notFound = { status: 404, message: "No such workshop among the ones you run." };
    await expect(getWorkshop(ctx, ids.stranger, id)).rejects.toMatchObject(notFound);
    await expect(updateWorkshop(ctx, ids.stranger, id, form({ title: "Mine now" }))).rejects.toMatchObject(notFound);
    await expect(transitionWorkshop(ctx, ids.stranger, id, "open")).rejects.toMatchObject(notFound);
    await expect(deleteWorkshop(ctx, ids.stranger, id)).rejects.toMatchObject(notFound);
    await expect(inviteCoInstructor(ctx, ids.stranger, id, "stranger@example.org")).rejects.toMatchObject(notFound);
    await expect(removeCoInstructor(ctx, ids.stranger, id, ids.owner)).rejects.toMatchObject(notFound);
    await expect(getWorkshop(ctx, ids.stranger, "wks_does_not_exist")).rejects.toMatchObject(notFound);
    expect((await listWorkshops(ctx, ids.stranger)).map((w) => w.id)).not.toContain(id);
    expect((await getWorkshop(ctx, ids.owner, id)).title).toBe("Private");
  });

  it("lets an invited co-instructor see and run the workshop, but not delete it or invite", async () => {
    const { id } = await createWorkshop(ctx, ids.owner, form({ title: "Shared" }));
    await expect(inviteCoInstructor(ctx, ids.owner, id, "nobody@example.org")).rejects.toMatchObject({
      status: 404,
      message: expect.stringMatching(/No instructor has the e-mail nobody@example.org/),
    });
    const shared = await inviteCoInstructor(ctx, ids.owner, id, " CO@example.org ");
    expect(shared.instructors.map((member) => [member.name, member.role])).toEqual([
      ["Olive Owner", "owner"],
      ["Cole Co", "co"],
    ]);
    await expect(inviteCoInstructor(ctx, ids.owner, id, "co@example.org")).rejects.toMatchObject({ status: 409 });

    expect((await listWorkshops(ctx, ids.co)).map((w) => [w.title, w.role])).toEqual([["Shared", "co"]]);
    const seen = await getWorkshop(ctx, ids.co, id);
    expect(seen.allowed).toEqual({ edit: true, delete: false, invite: false, transitions: ["open", "ended"] });
    await expect(updateWorkshop(ctx, ids.co, id, form({ title: "Shared, renamed" }))).resolves.toMatchObject({ title: "Shared, renamed" });
    await expect(transitionWorkshop(ctx, ids.co, id, "open")).resolves.toMatchObject({ state: "open" });
    await expect(inviteCoInstructor(ctx, ids.co, id, "stranger@example.org")).rejects.toMatchObject({ status: 403 });
    await expect(deleteWorkshop(ctx, ids.co, id)).rejects.toMatchObject({
      status: 403,
      message: expect.stringMatching(/Only the workshop's owner/),
    });

    await removeCoInstructor(ctx, ids.owner, id, ids.co);
    await expect(getWorkshop(ctx, ids.co, id)).rejects.toMatchObject({ status: 404 });
    await expect(removeCoInstructor(ctx, ids.owner, id, ids.owner)).rejects.toMatchObject({ status: 404 });
  });

  it("follows the state rules: edits only before running, back to draft only while nobody joined, deletes only draft or ended", async () => {
    const { id } = await createWorkshop(ctx, ids.owner, form({ title: "Lifecycle" }));
    await expect(transitionWorkshop(ctx, ids.owner, id, "running")).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/cannot become running/),
    });
    await expect(transitionWorkshop(ctx, ids.owner, id, "paused")).rejects.toMatchObject({ status: 400 });
    await transitionWorkshop(ctx, ids.owner, id, "open");
    await joinOneAttendee(id);
    await expect(transitionWorkshop(ctx, ids.owner, id, "draft")).rejects.toMatchObject({
      message: expect.stringMatching(/1 attendee\(s\) joined/),
    });
    await expect(updateWorkshop(ctx, ids.owner, id, form({ capacity: 1, preparedSeats: 0 }))).resolves.toMatchObject({
      capacity: 1,
      joined: 1,
    });
    await expect(updateWorkshop(ctx, ids.owner, id, form({ capacity: 0, preparedSeats: 0 }))).rejects.toMatchObject({ status: 400 });
    await expect(deleteWorkshop(ctx, ids.owner, id)).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/end it first/) });

    const running = await transitionWorkshop(ctx, ids.owner, id, "running");
    expect(running.allowed).toMatchObject({ edit: false, delete: false, transitions: ["ended"] });
    await expect(updateWorkshop(ctx, ids.owner, id, form())).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/running/),
    });

    await transitionWorkshop(ctx, ids.owner, id, "ended");
    expect((await test.db.workshop.findUniqueOrThrow({ where: { id } })).endedAt).toBeInstanceOf(Date);
    await deleteWorkshop(ctx, ids.owner, id);
    expect(await test.db.workshop.findUnique({ where: { id } })).toBeNull();
    expect(await test.db.seat.count({ where: { workshopId: id } })).toBe(0);
  });
});
