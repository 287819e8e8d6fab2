import { expect, test } from "@playwright/test";
import { encodeEvent, encodeHeader } from "../apps/web/src/recording/asciicast";
import { openDatabase } from "../apps/web/src/server/db";
import { seedInstructor, seedSeat, seedWorkshop } from "../apps/web/src/server/workshops/testing/workshop-fixtures";
import { resolveDatabaseUrl } from "../prisma/database-url";

/**
 * An instructor replays an attendee's recorded terminal in the page: a
 * workshop, a seat and its recording are written into the suite's database
 * (as the recorder writes them), then played in real Chromium.
 */
const db = openDatabase(resolveDatabaseUrl());
let pagePath: string;
let instructorCookie: string;

test.beforeAll(async () => {
  const owner = await seedInstructor(db, "Grace");
  instructorCookie = owner.cookie;
  const workshop = await seedWorkshop(db, owner, { title: "Replay room" });
  const seat = await seedSeat(db, workshop.id, "Ada <i>L</i>");
  const header = encodeHeader({ version: 2, width: 80, height: 24, timestamp: 1_800_000_000, idle_time_limit: 2 });
  const chunks = [
    encodeEvent(0.2, "o", "root@sandbox:~/lab# ") +
      encodeEvent(0.8, "o", "echo hello\r\n") +
      encodeEvent(0.9, "o", "hello from the recording\r\n"),
    // An hour of silence plays as two seconds; then a resize and the last line.
    encodeEvent(3600, "r", "100x30") + encodeEvent(3600.5, "o", "\x1b[32mlast line ✓\x1b[0m\r\n"),
  ];
  await db.recording.create({
    data: {
      id: `rec_e2e${Date.now()}`,
      seatId: seat.id,
      header,
      bytes: Buffer.byteLength(`${header}\n${chunks.join("")}`),
      chunks: { create: chunks.map((events, seq) => ({ seq, events })) },
    },
  });
  pagePath = `/instructor/workshops/${workshop.id}/seats/${seat.id}/recording`;
});

test.afterAll(async () => {
  await db.$disconnect();
});

function screen(page: import("@playwright/test").Page) {
  return page.getByTestId("recording-terminal").locator(".xterm-rows");
}

test("an instructor plays a seat's recording, seeks in it and changes its speed", async ({ page, context, baseURL }) => {
  const [name, value] = instructorCookie.split("=") as [string, string];
  await context.addCookies([{ name, value, url: baseURL ?? "" }]);
  await page.goto(pagePath);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Replay room · Ada <i>L</i>");
  // The idle hour is capped: the whole recording plays in about 3.4 s.
  await expect(page.getByTestId("recording-clock")).toHaveText("0:00 / 0:03");

  await page.getByRole("button", { name: "Play" }).click();
  await expect(screen(page)).toContainText("hello from the recording");
  await expect(screen(page)).toContainText("last line ✓");
  await expect(page.getByRole("button", { name: "Play" })).toBeVisible();
  await expect(page.getByTestId("recording-clock")).toHaveText("0:03 / 0:03");

  // Seeking with the keyboard, as on any slider: back to the start empties the screen; forward draws at once.
  const position = page.getByRole("slider", { name: "Position" });
  await position.focus();
  await page.keyboard.press("Home");
  await expect(screen(page)).not.toContainText("hello");
  for (let step = 0; step < 15; step += 1) await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("recording-clock")).toHaveText("0:01 / 0:03");
  await expect(screen(page)).toContainText("hello from the recording");
  await expect(screen(page)).not.toContainText("last line");
  await page.keyboard.press("End");
  await expect(screen(page)).toContainText("last line ✓");
  await page.keyboard.press("Home");
  await expect(screen(page)).not.toContainText("last line");

  await page.getByRole("button", { name: "4×" }).click();
  await expect(page.getByRole("button", { name: "4×" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("button", { name: "1×" })).toHaveAttribute("aria-pressed", "false");
  await page.getByRole("button", { name: "Play" }).click();
  await expect(screen(page)).toContainText("last line ✓");
});

test("someone who does not run the workshop gets the not-found page, and no recording", async ({ page }) => {
  const response = await page.goto(pagePath);
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("recording-terminal")).toHaveCount(0);
  const api = await page.request.get(`/api${pagePath.replace("/instructor", "")}`);
  expect(api.status()).toBe(404);
});
