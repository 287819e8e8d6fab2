import { createHash, randomBytes } from "node:crypto";
import { type Browser, type BrowserContext, expect, type Page } from "@playwright/test";
import { openDatabase } from "../apps/web/src/server/db";
import { newJoinCode } from "../apps/web/src/server/workshops/join-code";
import { terminalText } from "./lesson-helpers";

const HOUR = 3_600_000;

/** The e2e database, the one the served web app uses (scripts/test.sh sets DATABASE_URL). */
export function e2eDatabase() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run the browser tests through npm test (scripts/test.sh sets it).");
  return openDatabase(url);
}

const suffix = () => randomBytes(4).toString("hex");

/** An instructor signed in with a session cookie, as the login would leave them. */
export async function seedInstructor(name: string): Promise<{ id: string; token: string }> {
  const db = e2eDatabase();
  const id = `ins_${suffix()}${suffix()}`;
  const token = randomBytes(32).toString("hex");
  await db.instructor.create({ data: { id, email: `${id}@e2e.test`, name, passwordHash: "not-used-by-this-test" } });
  await db.instructorSession.create({
    data: { tokenHash: createHash("sha256").update(token).digest("hex"), instructorId: id, expiresAt: new Date(Date.now() + HOUR) },
  });
  await db.$disconnect();
  return { id, token };
}

export interface SeededWorkshop {
  id: string;
  code: string;
}

/** A workshop the instructor owns, open for joining. */
export async function seedWorkshop(
  ownerId: string,
  options: { title: string; lessonIds: string[]; capacity?: number; recordTerminals?: boolean },
): Promise<SeededWorkshop> {
  const db = e2eDatabase();
  const id = `wks_${suffix()}`;
  const code = newJoinCode();
  await db.workshop.create({
    data: {
      id,
      code,
      title: options.title,
      lessonIds: JSON.stringify(options.lessonIds),
      startsAt: new Date(),
      endsAt: new Date(Date.now() + 2 * HOUR),
      capacity: options.capacity ?? 10,
      recordTerminals: options.recordTerminals ?? false,
      state: "open",
      instructors: { create: { instructorId: ownerId, role: "owner" } },
    },
  });
  await db.$disconnect();
  return { id, code };
}

export async function instructorContext(browser: Browser, baseURL: string, token: string): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.addCookies([{ name: "drydock_instructor", value: token, url: baseURL }]);
  return context;
}

/** An attendee joins from the shared link with a display name, and gets a prompt without pressing Start. */
export async function joinAsAttendee(page: Page, code: string, name: string): Promise<void> {
  await page.goto(`/join?code=${code}`);
  await page.getByLabel("Your name, as the room will see it").fill(name);
  await page.getByRole("button", { name: "Join", exact: true }).click();
  await expect(page.getByTestId("workshop-bar")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("sandbox-state")).toHaveText("Sandbox ready", { timeout: 120_000 });
  await expect(terminalText(page)).toContainText("root@sandbox", { timeout: 30_000 });
}

/** The dashboard's row of an attendee. */
export function seatRow(dashboard: Page, name: string) {
  return dashboard.getByTestId(`seat-row-${name}`);
}
