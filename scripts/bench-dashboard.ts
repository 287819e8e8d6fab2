/**
 * `npm run bench:dashboard`: the instructors' grid with 200 attendees, in a
 * real Chromium, as the room moves. 200 seats are made in the database (no
 * sandboxes: this measures the dashboard, not Docker), 200 real socket.io
 * clients hold them, and in rounds every attendee moves to the next step at
 * once, as a room does after "now go on". Prints, as its last line:
 * - firstGridMs: from the dashboard's navigation start to 200 rows painted;
 * - updateToPaintMs {p50,p95}: from a round's first step event sent to the
 *   grid showing all 200 rows on their new step;
 * - frameMs {p50,p95,max}: the page's frame intervals while the rounds run
 *   (16.7 ms is a smooth 60 Hz; jank shows as long frames);
 * - longTasks {count,totalMs,maxMs}: main-thread tasks over 50 ms meanwhile;
 * - dashboardKB: what the instructor's page received over the rounds.
 */
import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import { BUILT_IN_LESSONS_DIR, loadLessons } from "@drydock/lessons";
import { WORKSHOP_NAMESPACE } from "@drydock/protocol";
import { chromium } from "@playwright/test";
import { io, type Socket } from "socket.io-client";
import { openDatabase } from "../apps/web/src/server/db";
import { newJoinCode } from "../apps/web/src/server/workshops/join-code";
import { newSeat } from "../apps/web/src/server/workshops/workshop-records";
import { startDrydock } from "./lib/drydock-server";
import { round, summarize } from "./lib/stats";

const SEATS = 200;
const ROUNDS = 8;
const HOUR = 3_600_000;

interface DashboardProbes {
  rowsPainted(count: number): Promise<number>;
  currentPainted(count: number, cell: number): Promise<number>;
  now(): number;
  watch(): void;
  stop(): { frames: number[]; longTasks: number[] };
}
/** The page's global with its probes (scripts/lib/dashboard-probes.js); page.evaluate's functions run in the page, so each names it. */
type Probed = { __dashboard: DashboardProbes };

const drydock = await startDrydock({ webPort: 3380, agentPort: 4380, fleet: "bench-dashboard", env: { POOL_SIZE: "0" } });
const sockets: Socket[] = [];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
try {
  const db = openDatabase(drydock.databaseUrl);
  const { lessons } = await loadLessons(BUILT_IN_LESSONS_DIR);
  const lessonIds = lessons.map((lesson) => lesson.id);
  const steps = lessons.flatMap((lesson) => lesson.steps.map((step) => ({ lessonId: lesson.id, stepId: step.id })));
  if (steps.length <= ROUNDS) throw new Error(`the built-in lessons have ${steps.length} steps; the bench needs more than ${ROUNDS}`);

  const instructorId = `ins_${randomBytes(8).toString("hex")}`;
  const token = randomBytes(32).toString("hex");
  await db.instructor.create({ data: { id: instructorId, email: `${instructorId}@bench.test`, name: "Bench", passwordHash: "unused" } });
  await db.instructorSession.create({
    data: { tokenHash: createHash("sha256").update(token).digest("hex"), instructorId, expiresAt: new Date(Date.now() + HOUR) },
  });
  const workshopId = `wks_${randomBytes(6).toString("hex")}`;
  await db.workshop.create({
    data: {
      id: workshopId,
      code: newJoinCode(),
      title: "Two hundred",
      lessonIds: JSON.stringify(lessonIds),
      startsAt: new Date(),
      endsAt: new Date(Date.now() + 2 * HOUR),
      capacity: SEATS,
      state: "running",
      instructors: { create: { instructorId, role: "owner" } },
    },
  });
  const seats = Array.from({ length: SEATS }, (_, index) => ({
    ...newSeat(workshopId),
    name: `Attendee ${String(index + 1).padStart(3, "0")}`,
    joinedAt: new Date(),
  }));
  await db.seat.createMany({ data: seats });
  await db.$disconnect();

  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  await context.addCookies([{ name: "drydock_instructor", value: token, url: drydock.base }]);
  await context.addInitScript({ path: join(import.meta.dirname, "lib/dashboard-probes.js") });
  const page = await context.newPage();
  let received = 0;
  page.on("websocket", (socket) => socket.on("framereceived", (frame) => (received += Buffer.byteLength(frame.payload))));
  await page.goto(`${drydock.base}/instructor/workshops/${workshopId}`);
  const firstGridMs = await page.evaluate((count) => (globalThis as unknown as Probed).__dashboard.rowsPainted(count), SEATS);
  // Frames and long tasks from here on, recorded by the page itself.
  await page.evaluate(() => (globalThis as unknown as Probed).__dashboard.watch());

  for (const seat of seats) {
    const socket = io(`${drydock.base}${WORKSHOP_NAMESPACE}`, {
      auth: { workshopId },
      extraHeaders: { cookie: `drydock_visitor=${seat.visitorId}`, origin: drydock.base },
      transports: ["websocket"],
    });
    sockets.push(socket);
  }
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise((resolve, reject) => {
          socket.once("connect", () => resolve(undefined));
          socket.once("connect_error", reject);
        }),
    ),
  );

  received = 0;
  const updateToPaint: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const step = steps[round] as { lessonId: string; stepId: string };
    // The step cells follow four fixed ones (done, radar, exits, sandbox); td:nth-of-type counts cells only.
    const painted = page.evaluate(({ count, cell }) => (globalThis as unknown as Probed).__dashboard.currentPainted(count, cell), {
      count: SEATS,
      cell: 4 + round + 1,
    });
    const sentAt = await page.evaluate(() => (globalThis as unknown as Probed).__dashboard.now());
    for (const socket of sockets) socket.emit("step:viewed", step);
    updateToPaint.push((await painted) - sentAt);
  }
  const measured = await page.evaluate(() => (globalThis as unknown as Probed).__dashboard.stop());
  const { frames } = measured;
  console.log(
    JSON.stringify({
      seats: SEATS,
      steps: steps.length,
      rounds: ROUNDS,
      firstGridMs: round(firstGridMs),
      updateToPaintMs: summarize(updateToPaint, 50, 95),
      frameMs: { ...summarize(frames, 50, 95), max: round(Math.max(...frames)) },
      longTasks: {
        count: measured.longTasks.length,
        totalMs: round(measured.longTasks.reduce((sum, duration) => sum + duration, 0)),
        maxMs: round(Math.max(0, ...measured.longTasks)),
      },
      dashboardKB: round(received / 1024),
      note: "200 seats made in the database, held by 200 socket.io clients; no sandboxes (the grid is measured, not Docker)",
    }),
  );
} finally {
  for (const socket of sockets) socket.close();
  await browser.close();
  await drydock.stop();
}
