import { parseCookie } from "cookie";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { INSTRUCTOR_COOKIE, instructorFromCookieHeader } from "./instructor-access";
import {
  checkCredentials,
  closeInstructorSession,
  createFirstInstructor,
  createInstructor,
  listInstructors,
  openInstructorSession,
  resetPassword,
  WRONG_CREDENTIALS,
} from "./instructor-accounts";

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
}, 60_000);
afterAll(async () => {
  await test?.remove();
});

const cookieOf = (token: string) => `other=1; ${INSTRUCTOR_COOKIE}=${token}`;

describe("instructor accounts (a real database: SQLite, or PostgreSQL with DRYDOCK_TEST_DATABASE=postgresql)", () => {
  it("lets exactly one of several browsers racing through the setup page become the first", async () => {
    const racing = await createTestDatabase();
    try {
      const names = ["Ada", "Bea", "Cyd", "Dot", "Eve"];
      const outcomes = await Promise.allSettled(
        names.map((name) => createFirstInstructor(racing.db, { email: `${name}@example.org`, name, password: "correct horse battery" })),
      );
      expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
      for (const outcome of outcomes.filter((o) => o.status === "rejected")) {
        expect(outcome.reason).toMatchObject({ status: 409, message: expect.stringMatching(/exists already: sign in/) });
      }
      expect(await racing.db.instructor.count()).toBe(1);
    } finally {
      await racing.remove();
    }
  });

  it("makes the first account only while none exists", async () => {
    const first = await createFirstInstructor(test.db, { email: " Ann@Example.org ", name: " Ann ", password: "correct horse battery" });
    expect(first).toMatchObject({ email: "ann@example.org", name: "Ann" });
    await expect(
      createFirstInstructor(test.db, { email: "bob@example.org", name: "Bob", password: "correct horse battery" }),
    ).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/exists already: sign in/),
    });
  });

  it("refuses a duplicate e-mail, a bad e-mail, an empty name and a weak password with a message", async () => {
    await expect(
      createInstructor(test.db, { email: "ANN@example.org", name: "Ann 2", password: "correct horse battery" }),
    ).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/ann@example.org exists already/),
    });
    await expect(createInstructor(test.db, { email: "not-mail", name: "X", password: "correct horse battery" })).rejects.toMatchObject({
      status: 400,
    });
    await expect(
      createInstructor(test.db, { email: "c@example.org", name: "  ", password: "correct horse battery" }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/Give a name/),
    });
    await expect(createInstructor(test.db, { email: "c@example.org", name: "Cy", password: "short" })).rejects.toMatchObject({
      message: expect.stringMatching(/too short/),
    });
  });

  it("signs in with the right password only, one message for every failure", async () => {
    await expect(checkCredentials(test.db, "ann@example.org", "correct horse battery")).resolves.toMatchObject({ name: "Ann" });
    await expect(checkCredentials(test.db, "ANN@example.org", "correct horse battery")).resolves.toMatchObject({ name: "Ann" });
    await expect(checkCredentials(test.db, "ann@example.org", "wrong horse battery")).rejects.toMatchObject({
      status: 401,
      message: WRONG_CREDENTIALS,
    });
    await expect(checkCredentials(test.db, "nobody@example.org", "correct horse battery")).rejects.toMatchObject({
      status: 401,
      message: WRONG_CREDENTIALS,
    });
  });

  it("opens a session whose cookie signs the instructor in until it closes or expires", async () => {
    const ann = await checkCredentials(test.db, "ann@example.org", "correct horse battery");
    const { token, expiresAt } = await openInstructorSession(test.db, ann.id);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(13.9 * 24 * 3600_000);
    const stored = await test.db.instructorSession.findMany({ where: { instructorId: ann.id } });
    expect(stored.map((row) => row.tokenHash)).not.toContain(token);
    expect(await instructorFromCookieHeader(test, cookieOf(token))).toMatchObject({ id: ann.id });
    expect(parseCookie(cookieOf(token))[INSTRUCTOR_COOKIE]).toBe(token);

    await closeInstructorSession(test.db, token);
    expect(await instructorFromCookieHeader(test, cookieOf(token))).toBeNull();

    const old = await openInstructorSession(test.db, ann.id, new Date(Date.now() - 15 * 24 * 3600_000));
    expect(await instructorFromCookieHeader(test, cookieOf(old.token))).toBeNull();
  });

  it("resets a password, signing the instructor out everywhere", async () => {
    const ann = await checkCredentials(test.db, "ann@example.org", "correct horse battery");
    const { token } = await openInstructorSession(test.db, ann.id);
    await expect(resetPassword(test.db, "ann@example.org", "aaaaaaaaaaaa")).rejects.toMatchObject({ status: 400 });
    await expect(resetPassword(test.db, "zed@example.org", "staple gun river")).rejects.toMatchObject({ status: 404 });
    await resetPassword(test.db, "ann@example.org", "staple gun river");
    expect(await instructorFromCookieHeader(test, cookieOf(token))).toBeNull();
    await expect(checkCredentials(test.db, "ann@example.org", "correct horse battery")).rejects.toMatchObject({ status: 401 });
    await expect(checkCredentials(test.db, "ann@example.org", "staple gun river")).resolves.toMatchObject({ id: ann.id });
  });

  it("lists the instructors in the order they were made", async () => {
    await createInstructor(test.db, { email: "bob@example.org", name: "Bob", password: "correct horse battery" });
    const listed = await listInstructors(test.db);
    expect(listed.map((row) => [row.email, row.workshops])).toEqual([
      ["ann@example.org", 0],
      ["bob@example.org", 0],
    ]);
  });
});
