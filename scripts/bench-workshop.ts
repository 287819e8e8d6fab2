/**
 * `npm run bench:workshop`: a workshop room of 30 on a real Drydock (web app
 * and agent, scripts/serve.sh, the agent's pool and start pacing as the
 * product's defaults), every attendee a real socket.io client with the
 * cookies the HTTP answers set, every seat a real sandbox.
 * 1. prepared: an instructor prepares 30 seats from the dashboard and waits
 *    until the meter shows them ready; 30 attendees then join spread over
 *    10 s: join → the answer's session → terminal → the prompt.
 * 2. grid: each attendee runs the first step's check (it passes at once: the
 *    figure is the platform's, not Docker's); the time from the check's
 *    answer to the instructor's row showing the step passed.
 * 3. dashboard: for 30 s every attendee types a command every few seconds
 *    and now and then runs a check that fails; the bytes the instructor's
 *    socket receives per second.
 * 4. idle memory of a seat's sandbox once the room is quiet; then the
 *    workshop ends (its sandboxes are removed).
 * 5. cold: a second workshop, nothing prepared; 30 join spread over 10 s:
 *    join → start (the ndjson stream) → terminal → the prompt.
 * The web app's per-address budgets are raised (all attendees come from one
 * address here); the JSON says so. Last line: one JSON object. Everything it
 * starts is removed, also on failure.
 */
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { LABEL, sandboxFilter } from "@drydock/engine";
import { loadLessons } from "@drydock/lessons";
import { openDatabase } from "../apps/web/src/server/db";
import { newJoinCode } from "../apps/web/src/server/workshops/join-code";
import { type Baseline, ratios, startBaseline } from "./lib/baseline";
import { fleetSandboxes, startDrydock, waitUntil } from "./lib/drydock-server";
import { round, summarize } from "./lib/stats";
import { Attendee, type InstructorDashboard, openDashboard } from "./lib/workshop-clients";

const run = promisify(execFile);
const ATTENDEES = Number(process.env.BENCH_WORKSHOP_ATTENDEES ?? 30);
const JOIN_SPREAD_MS = 10_000;
const ACTIVE_MS = Number(process.env.BENCH_WORKSHOP_ACTIVE_MS ?? 30_000);
const webPort = Number(process.env.BENCH_WEB_PORT ?? 3360);
const agentPort = Number(process.env.BENCH_AGENT_PORT ?? webPort + 1000);
const fleet = process.env.BENCH_FLEET ?? "bench-workshop";
/** Every request of the bench comes from 127.0.0.1: a room behind one router, with its budgets raised to let 60 joins and starts through. */
const LIMITS = { STARTS_PER_ADDRESS_PER_MINUTE: "600", JOINS_PER_ADDRESS_PER_MINUTE: "600" };
const HOUR = 3_600_000;
const LESSON_ID = "bench-room";
const PREPARE_TIMEOUT_MS = 900_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const suffix = () => randomBytes(4).toString("hex");

/** A lesson whose first check passes at once and whose second fails until a file exists. */
async function writeBenchLesson(dir: string): Promise<void> {
  const lesson = join(dir, LESSON_ID);
  await mkdir(join(lesson, "steps"), { recursive: true });
  await writeFile(
    join(lesson, "lesson.md"),
    "---\nid: bench-room\ntitle: Benchmark room\nsummary: A lesson whose first check passes at once, for the workshop benchmark.\nlevel: beginner\nminutes: 5\n---\n\nA room of thirty, measured.\n",
  );
  await writeFile(join(lesson, "steps", "01-look-around.md"), "# Look around\n\n```run\nls /root\n```\n\n```check\ntest -d /root\n```\n");
  await writeFile(
    join(lesson, "steps", "02-leave-a-mark.md"),
    '# Leave a mark\n\n```run\ntouch /root/mark\n```\n\n```check\nif [ ! -f /root/mark ]; then\n  echo "FAIL: /root/mark is not there yet."\n  exit 1\nfi\n```\n',
  );
}

const lessonsDir = await mkdtemp(join(tmpdir(), "drydock-bench-lessons-"));
await writeBenchLesson(lessonsDir);
const library = await loadLessons(lessonsDir);
const lesson = library.lessons.find((candidate) => candidate.id === LESSON_ID);
const [passingStep, failingStep] = lesson?.steps ?? [];
if (!lesson || !passingStep || !failingStep || library.problems.length > 0) {
  await rm(lessonsDir, { recursive: true, force: true });
  throw new Error(`The benchmark's lesson is not valid: ${JSON.stringify(library.problems)}`);
}
const check = (step: NonNullable<typeof passingStep>) => ({ script: step.check.script, timeoutMs: step.check.timeoutSeconds * 1000 });
const passingCheck = check(passingStep);
const failingCheck = check(failingStep);
const stepKey = `${LESSON_ID}/${passingStep.id}`;
const firstStep = { lessonId: LESSON_ID, stepId: passingStep.id };

const drydock = await startDrydock({ webPort, agentPort, fleet, env: { LESSONS_DIR: lessonsDir, ...LIMITS } }).catch(
  async (error: unknown) => {
    await rm(lessonsDir, { recursive: true, force: true });
    throw error;
  },
);
const db = openDatabase(drydock.databaseUrl);
const everyone: Array<{ close(): void }> = [];
let baseline: Baseline | undefined;
let cleaning: Promise<void> | undefined;
/** Removes everything the bench started (sockets, the baseline's container, the fleet's sandboxes, the database, the lesson), once. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const client of everyone) client.close();
    await db.$disconnect().catch(() => undefined);
    await baseline?.close().catch(() => undefined);
    await drydock.stop();
    await rm(lessonsDir, { recursive: true, force: true });
  })();
  return cleaning;
}
// The servers run detached: an interrupted or crashed bench still removes them and their sandboxes.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
process.once("uncaughtException", (error) => {
  console.error(error);
  void cleanUp().finally(() => process.exit(1));
});

/** An instructor signed in (as the login leaves them), and a running workshop of the bench's lesson they own. */
async function seedRoom(title: string): Promise<{ workshopId: string; code: string; token: string }> {
  const instructorId = `ins_${suffix()}${suffix()}`;
  const token = randomBytes(32).toString("hex");
  await db.instructor.create({ data: { id: instructorId, email: `${instructorId}@bench.test`, name: "Bench", passwordHash: "unused" } });
  await db.instructorSession.create({
    data: { tokenHash: createHash("sha256").update(token).digest("hex"), instructorId, expiresAt: new Date(Date.now() + HOUR) },
  });
  const workshopId = `wks_${suffix()}`;
  const code = newJoinCode();
  await db.workshop.create({
    data: {
      id: workshopId,
      code,
      title,
      lessonIds: JSON.stringify([LESSON_ID]),
      startsAt: new Date(),
      endsAt: new Date(Date.now() + 2 * HOUR),
      capacity: ATTENDEES,
      recordTerminals: false,
      state: "running",
      instructors: { create: { instructorId, role: "owner" } },
    },
  });
  return { workshopId, code, token };
}

interface Arrival {
  attendee: Attendee;
  joinedAt: number;
  /** When the join answered, and when the session was ready (after the start's stream, or at once for a prepared seat). */
  seatAt?: number;
  sessionAt?: number;
  promptAt?: number;
  error?: string;
}

/** ATTENDEES arrive spread evenly over JOIN_SPREAD_MS, each through `arrive`; resolves when every one has a prompt or an error. */
async function wave(room: string, code: string, arrive: (attendee: Attendee) => Promise<void>): Promise<Arrival[]> {
  return Promise.all(
    Array.from({ length: ATTENDEES }, async (_, index): Promise<Arrival> => {
      await sleep((index * JOIN_SPREAD_MS) / ATTENDEES);
      const attendee = new Attendee(drydock.base, `${room} ${index + 1}`);
      everyone.push(attendee);
      const arrival: Arrival = { attendee, joinedAt: performance.now() };
      try {
        await attendee.join(code, firstStep);
        arrival.seatAt = performance.now();
        await arrive(attendee);
        arrival.sessionAt = performance.now();
        await attendee.openTerminal();
        arrival.promptAt = performance.now();
      } catch (error) {
        arrival.error = (error as Error).message;
      }
      return arrival;
    }),
  );
}

const seated = (arrivals: Arrival[]) => arrivals.flatMap((arrival) => (arrival.promptAt ? [arrival.promptAt - arrival.joinedAt] : []));

/** Where an arrival's time went: the join's answer, the session's start, the terminal's prompt (p50 and p95 of each). */
function phases(arrivals: Arrival[]) {
  const of = (from: keyof Arrival, to: keyof Arrival) => {
    const samples = arrivals.flatMap((arrival) => {
      const [start, end] = [arrival[from], arrival[to]];
      return typeof start === "number" && typeof end === "number" ? [end - start] : [];
    });
    return samples.length > 0 ? summarize(samples, 50, 95) : null;
  };
  return { join: of("joinedAt", "seatAt"), start: of("seatAt", "sessionAt"), terminal: of("sessionAt", "promptAt") };
}

/** Each attendee runs the passing check in turn (a few per second); the time from its answer to the instructor's row showing it passed. */
async function gridUpdates(dashboard: InstructorDashboard, attendees: Attendee[]): Promise<number[]> {
  const samples = await Promise.all(
    attendees.map(async (attendee, index) => {
      await sleep(index * 300);
      const outcome = await attendee.check(passingCheck.script, passingCheck.timeoutMs);
      const answeredAt = performance.now();
      if (!outcome.passed) throw new Error(`${attendee.name}'s check of "${stepKey}" did not pass: ${outcome.output}`);
      let shownAt: number | undefined;
      await waitUntil(
        `${attendee.name}'s row shows "${stepKey}" passed`,
        async () => {
          shownAt = dashboard.passedAt(attendee.seatId, stepKey);
          return shownAt !== undefined;
        },
        60_000,
      );
      return Math.max(0, (shownAt as number) - answeredAt);
    }),
  );
  return samples;
}

/** For ACTIVE_MS every attendee types a command every few seconds and now and then runs a failing check; the bytes the instructor receives. */
async function activeRoom(dashboard: InstructorDashboard, attendees: Attendee[]): Promise<{ kBps: number; checks: number }> {
  const before = dashboard.bytesReceived();
  const started = performance.now();
  let checks = 0;
  await Promise.all(
    attendees.map(async (attendee, index) => {
      await sleep((index * 3000) / attendees.length);
      for (let round = 0; performance.now() - started < ACTIVE_MS; round += 1) {
        // Now and then a command that fails, so the stuck radar has exit codes to read.
        attendee.type(round % 4 === 3 ? "ls /nowhere\r" : "echo hello\r");
        if (round % 3 === 2) {
          await attendee.check(failingCheck.script, failingCheck.timeoutMs);
          checks += 1;
        }
        await sleep(2500 + Math.random() * 1000);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { kBps: round((dashboard.bytesReceived() - before) / 1024 / seconds), checks };
}

/** The seat sandboxes of a workshop (sandbox id and Docker container), from the ready sessions the control plane recorded. */
async function seatSandboxes(workshopId: string): Promise<Array<{ sandboxId: string; container: string }>> {
  const seats = await db.seat.findMany({ where: { workshopId }, select: { visitorId: true } });
  const sessions = await db.session.findMany({
    where: { visitorId: { in: seats.map((seat) => seat.visitorId) }, state: "ready", sandboxId: { not: null } },
    select: { sandboxId: true },
  });
  const wanted = new Set(sessions.map((session) => session.sandboxId));
  const filters = sandboxFilter({ fleet }).label.flatMap((label) => ["--filter", `label=${label}`]);
  const { stdout } = await run("docker", ["ps", "--format", `{{.ID}} {{.Label "${LABEL.sandboxId}"}}`, ...filters]);
  return stdout
    .split("\n")
    .map((line) => line.split(" "))
    .flatMap(([container, sandboxId]) => (container && sandboxId && wanted.has(sandboxId) ? [{ sandboxId, container }] : []));
}

async function containerStats(containers: string[]): Promise<Array<{ cpu: number; memMiB: number }>> {
  const { stdout } = await run("docker", ["stats", "--no-stream", "--format", "{{.CPUPerc}} {{.MemUsage}}", ...containers]);
  const units: Record<string, number> = { B: 1 / 1024 / 1024, KiB: 1 / 1024, MiB: 1, GiB: 1024 };
  return stdout
    .trim()
    .split("\n")
    .map((line) => {
      const [cpu = "0%", usage = "0MiB"] = line.split(" ");
      const [, amount = "0", unit = "MiB"] = /^([\d.]+)([A-Za-z]+)$/.exec(usage) ?? [];
      return { cpu: Number.parseFloat(cpu), memMiB: Number(amount) * (units[unit] ?? 1) };
    });
}

/** Once the seats are quiet (each under 2% of a core, or after a minute), their sandboxes' average memory. */
async function idleSeatMemory(workshopId: string): Promise<{ avgMiB: number; seats: number; quiet: boolean }> {
  const containers = (await seatSandboxes(workshopId)).map((seat) => seat.container);
  if (containers.length === 0) throw new Error("no seat sandbox is running to measure");
  let stats = await containerStats(containers);
  const deadline = Date.now() + 60_000;
  while (stats.some((stat) => stat.cpu > 2) && Date.now() < deadline) stats = await containerStats(containers);
  const avgMiB = stats.reduce((sum, stat) => sum + stat.memMiB, 0) / stats.length;
  return { avgMiB: round(avgMiB), seats: stats.length, quiet: stats.every((stat) => stat.cpu <= 2) };
}

try {
  baseline = await startBaseline({ fleet, samples: { run: 5, exec: 5 } });
  await baseline.measure("before");

  // 1. Thirty seats prepared, then thirty joins within 10 s.
  const room = await seedRoom("Prepared room");
  const dashboard = await openDashboard(drydock.base, room.workshopId, room.token);
  everyone.push(dashboard);
  const prepareStarted = performance.now();
  await new Promise<void>((resolve, reject) =>
    dashboard.emit("seats:prepare", { count: ATTENDEES }, (reply) => (reply.ok ? resolve() : reject(new Error(reply.error)))),
  );
  await dashboard.meterReaches(
    `the meter shows ${ATTENDEES} seats ready`,
    (meter) => meter.ready >= ATTENDEES || meter.failed > 0,
    PREPARE_TIMEOUT_MS,
  );
  if ((dashboard.meter?.failed ?? 0) > 0) throw new Error(`seats failed to prepare: ${JSON.stringify(dashboard.meter)}\n${drydock.log()}`);
  const preparedInMs = performance.now() - prepareStarted;
  const preparedWave = await wave("Prepared", room.code, async (attendee) => {
    if (!attendee.prepared) await attendee.startSession(LESSON_ID);
  });
  const preparedFailures = preparedWave.filter((arrival) => arrival.error);
  if (preparedFailures.length > 0) throw new Error(`prepared joins failed: ${preparedFailures.map((arrival) => arrival.error).join("; ")}`);
  const attendees = preparedWave.map((arrival) => arrival.attendee);

  // 2. The grid: a check passing to the instructor's row.
  const grid = await gridUpdates(dashboard, attendees);
  // 3. The dashboard's traffic with the room at work.
  const active = await activeRoom(dashboard, attendees);
  // 4. A quiet seat's memory; then the workshop ends and its sandboxes go.
  const idle = await idleSeatMemory(room.workshopId);
  const preparedSandboxes = (await seatSandboxes(room.workshopId)).map((seat) => seat.sandboxId);
  await new Promise<void>((resolve, reject) =>
    dashboard.emit("room:end", (reply) => (reply.ok ? resolve() : reject(new Error(reply.error)))),
  );
  for (const attendee of attendees) attendee.close();
  dashboard.close();
  await waitUntil(
    "the ended room's sandboxes are removed",
    async () => {
      const alive = new Set(await fleetSandboxes(fleet));
      return preparedSandboxes.every((sandboxId) => !alive.has(sandboxId));
    },
    300_000,
  );
  await baseline.measure("between");

  // 5. Nothing prepared: thirty joins within 10 s, each starting its seat.
  const coldRoom = await seedRoom("Cold room");
  const coldDashboard = await openDashboard(drydock.base, coldRoom.workshopId, coldRoom.token);
  everyone.push(coldDashboard);
  const coldWave = await wave("Cold", coldRoom.code, (attendee) => attendee.startSession(LESSON_ID));
  const coldSeated = seated(coldWave);
  const coldErrors = coldWave.filter((arrival) => arrival.error);
  const firstJoin = Math.min(...coldWave.map((arrival) => arrival.joinedAt));
  const lastPrompt = Math.max(...coldWave.map((arrival) => arrival.promptAt ?? Number.NaN));
  await baseline.measure("after");

  const baselines = baseline.report();
  const prepared = summarize(seated(preparedWave), 50, 95);
  const cold = coldSeated.length > 0 ? { ...summarize(coldSeated, 50, 95), max: round(Math.max(...coldSeated)) } : null;
  const gridUpdateMs = summarize(grid, 50, 95);
  console.log(
    JSON.stringify({
      attendees: ATTENDEES,
      joinSpreadMs: JOIN_SPREAD_MS,
      joinToPromptMs: { prepared, cold },
      phasesMs: { prepared: phases(preparedWave), cold: phases(coldWave) },
      preparedJoinsWithReadySession: preparedWave.filter((arrival) => arrival.attendee.prepared).length,
      seatsPreparedInMs: Math.round(preparedInMs),
      coldErrors: coldErrors.length,
      coldErrorMessages: [...new Set(coldErrors.map((arrival) => arrival.error))].slice(0, 5),
      coldAllSeatedMs: Number.isFinite(lastPrompt) ? Math.round(lastPrompt - firstJoin) : null,
      gridUpdateMs: { ...gridUpdateMs, samples: grid.length },
      dashboardKBps: active.kBps,
      dashboardActivity: { seconds: ACTIVE_MS / 1000, attendees: attendees.length, failingChecks: active.checks },
      seatIdleMemMiB: idle.avgMiB,
      seatIdleMem: {
        seats: idle.seats,
        quiet: idle.quiet,
        source:
          "docker stats of the seats' sandbox containers (their cgroup's memory less inactive file cache), once each is under 2% of a core",
      },
      targets: {
        preparedP95Ms: 1000,
        coldAllSeatedMs: 20_000,
        coldErrors: 0,
        gridUpdateP95Ms: 1000,
      },
      baselineMs: baselines,
      ratios: {
        coldToDockerRun: cold ? ratios(cold, baselines.run) : null,
        gridUpdateToDockerExec: ratios(gridUpdateMs, baselines.exec),
      },
      limits: {
        ...Object.fromEntries(Object.entries(LIMITS).map(([name, value]) => [name, Number(value)])),
        why: "every attendee of the bench comes from 127.0.0.1; the product's defaults (60 starts, 120 joins per address per minute) would count 60+ requests of the room as one client's",
        poolSize: "the agent's default",
      },
      note: `the checks are "${passingStep.check.script.trim()}" (passes at once) and a file test that fails: the grid figure measures the platform, not Docker`,
    }),
  );
} finally {
  await cleanUp();
}
