import type { DashboardSnapshot, HelpView, SeatMeter, SeatRow, WorkshopState, WorkshopSummary } from "@drydock/protocol";
import type { WebContext } from "../context";
import { seatGrid } from "./seat-grid";
import { roomMedians, stuckReasons } from "./stuck-radar";
import { seatEndsAt, type WorkshopRecord, workshopLessonIds } from "./workshop-records";
import { stepKey, workshopSteps } from "./workshop-steps";

/** Failures older than this do not feed the radar (its window), nor does the dashboard read them for it. */
const SIGNAL_WINDOW_MS = 15 * 60_000;
const LAST_EXIT_CODES = 5;

export function workshopSummary(workshop: WorkshopRecord): WorkshopSummary {
  return {
    id: workshop.id,
    title: workshop.title,
    code: workshop.code,
    state: workshop.state as WorkshopState,
    startsAt: workshop.startsAt.toISOString(),
    endsAt: workshop.endsAt.toISOString(),
    capacity: workshop.capacity,
    preparedSeats: workshop.preparedSeats,
    paused: workshop.pausedAt !== null,
    presenting: workshop.presenting,
    recordTerminals: workshop.recordTerminals,
  };
}

const LIVE = ["starting", "ready"];

/** What the dashboard's rows are computed from: the database and the lessons (nothing of a sandbox). */
export type RoomRecords = Pick<WebContext, "db" | "lessons">;

/** The newest session of each seat: what its sandbox is doing. */
async function latestSessions(ctx: RoomRecords, workshopId: string) {
  const sessions = await ctx.db.session.findMany({
    where: { workshopId },
    orderBy: { createdAt: "asc" },
    select: { id: true, visitorId: true, state: true, activeAt: true, sandboxId: true, agentUrl: true, lessonId: true },
  });
  return new Map(sessions.map((session) => [session.visitorId, session]));
}

/** Prepared seats and how far their sandboxes are. */
export async function seatMeter(ctx: WebContext, workshopId: string): Promise<SeatMeter> {
  const [seats, sessions] = await Promise.all([ctx.db.seat.findMany({ where: { workshopId } }), latestSessions(ctx, workshopId)]);
  const meter: SeatMeter = { ready: 0, preparing: 0, failed: 0, waiting: 0 };
  for (const seat of seats) {
    const state = sessions.get(seat.visitorId)?.state;
    if (state === "ready") meter.ready += 1;
    else if (state === "starting") meter.preparing += 1;
    else if (state === "failed") meter.failed += 1;
    if (seat.name === null && state === "ready") meter.waiting += 1;
  }
  return meter;
}

export async function openHands(ctx: WebContext, workshopId: string): Promise<HelpView[]> {
  const hands = await ctx.db.helpRequest.findMany({
    where: { seat: { workshopId }, resolvedAt: null, withdrawnAt: null },
    include: { seat: { select: { name: true } } },
    orderBy: { raisedAt: "asc" },
  });
  const claimers = await ctx.db.instructor.findMany({
    where: { id: { in: hands.flatMap((hand) => (hand.claimedBy ? [hand.claimedBy] : [])) } },
    select: { id: true, name: true },
  });
  const names = new Map(claimers.map((instructor) => [instructor.id, instructor.name]));
  return hands.map((hand) => ({
    id: hand.id,
    seatId: hand.seatId,
    seatName: hand.seat.name ?? "",
    raisedAt: hand.raisedAt.toISOString(),
    claimedBy: hand.claimedBy,
    claimedByName: hand.claimedBy ? (names.get(hand.claimedBy) ?? null) : null,
  }));
}

/**
 * Every attendee's row, computed from the database alone (a web restart loses
 * nothing): the grid cells, the radar's reasons, raised hands, take-overs.
 */
export async function seatRows(
  ctx: RoomRecords,
  workshop: WorkshopRecord,
  isOnline: (seatId: string) => boolean,
  now = Date.now(),
): Promise<SeatRow[]> {
  const steps = workshopSteps(ctx.lessons, workshopLessonIds(workshop));
  const since = new Date(now - SIGNAL_WINDOW_MS);
  const seats = await ctx.db.seat.findMany({
    where: { workshopId: workshop.id, name: { not: null } },
    include: {
      steps: true,
      checks: { where: { at: { gte: since } }, orderBy: { at: "asc" }, select: { lessonId: true, stepId: true, passed: true, at: true } },
      commands: { where: { at: { gte: since } }, orderBy: { at: "asc" }, select: { exitCode: true, command: true, at: true } },
      hands: { where: { resolvedAt: null, withdrawnAt: null }, select: { id: true } },
      takeovers: { where: { endedAt: null }, select: { instructorId: true } },
    },
    orderBy: { joinedAt: "asc" },
  });
  const [failedCounts, sessions, typists] = await Promise.all([
    ctx.db.checkAttempt.groupBy({
      by: ["seatId", "lessonId", "stepId"],
      where: { seat: { workshopId: workshop.id }, passed: false },
      _count: true,
    }),
    latestSessions(ctx, workshop.id),
    ctx.db.instructor.findMany({
      where: { id: { in: seats.flatMap((seat) => seat.takeovers.map((takeover) => takeover.instructorId)) } },
      select: { id: true, name: true },
    }),
  ]);
  const failedBySeat = new Map<string, Map<string, number>>();
  for (const row of failedCounts) {
    const bySeat = failedBySeat.get(row.seatId) ?? new Map<string, number>();
    bySeat.set(stepKey(row.lessonId, row.stepId), row._count);
    failedBySeat.set(row.seatId, bySeat);
  }
  const durations = new Map<string, number[]>();
  for (const seat of seats) {
    for (const step of seat.steps) {
      if (!step.passedAt) continue;
      const key = stepKey(step.lessonId, step.stepId);
      durations.set(key, [...(durations.get(key) ?? []), step.passedAt.getTime() - step.enteredAt.getTime()]);
    }
  }
  const medians = roomMedians(durations);
  const typistNames = new Map(typists.map((instructor) => [instructor.id, instructor.name]));

  return seats.map((seat) => {
    const grid = seatGrid(steps, seat.steps, failedBySeat.get(seat.id) ?? new Map());
    const session = sessions.get(seat.visitorId);
    const lastSignal = Math.max(
      session?.activeAt?.getTime() ?? 0,
      seat.commands.at(-1)?.at.getTime() ?? 0,
      seat.checks.at(-1)?.at.getTime() ?? 0,
      seat.joinedAt?.getTime() ?? 0,
      ...seat.steps.map((step) => Math.max(step.enteredAt.getTime(), step.passedAt?.getTime() ?? 0)),
    );
    const currentKey = grid.current?.key;
    const checksOnStep = seat.checks
      .filter((check) => stepKey(check.lessonId, check.stepId) === currentKey)
      .map((check) => ({ passed: check.passed, at: check.at.getTime() }));
    const stuck =
      workshop.state === "running" && workshop.pausedAt === null
        ? stuckReasons(
            {
              current: grid.current,
              checksOnStep,
              commands: seat.commands.map((command) => ({ ...command, at: command.at.getTime() })),
              activeAt: lastSignal || null,
              finished: grid.finished,
            },
            medians,
            now,
          )
        : [];
    const typist = seat.takeovers[0];
    return {
      id: seat.id,
      name: seat.name ?? "",
      joinedAt: seat.joinedAt?.toISOString() ?? null,
      online: isOnline(seat.id),
      sandbox: !session ? "none" : workshop.pausedAt && LIVE.includes(session.state) ? "paused" : session.state,
      cells: grid.cells,
      currentStep: currentKey ?? null,
      currentSince: grid.current ? new Date(grid.current.since).toISOString() : null,
      passedCount: grid.passedCount,
      lastExitCodes: seat.commands.slice(-LAST_EXIT_CODES).map((command) => command.exitCode),
      idleSince: lastSignal ? new Date(lastSignal).toISOString() : null,
      stuck,
      handRaised: seat.hands.length > 0,
      typingWith: typist ? (typistNames.get(typist.instructorId) ?? "an instructor") : null,
      endsAt: seatEndsAt(workshop, seat).toISOString(),
    };
  }) satisfies SeatRow[];
}

export async function dashboardSnapshot(
  ctx: WebContext,
  workshop: WorkshopRecord,
  me: DashboardSnapshot["me"],
  isOnline: (seatId: string) => boolean,
): Promise<DashboardSnapshot> {
  const [seats, hands, meter] = await Promise.all([
    seatRows(ctx, workshop, isOnline),
    openHands(ctx, workshop.id),
    seatMeter(ctx, workshop.id),
  ]);
  return { workshop: workshopSummary(workshop), steps: workshopSteps(ctx.lessons, workshopLessonIds(workshop)), seats, hands, meter, me };
}
