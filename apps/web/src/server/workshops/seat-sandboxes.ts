import type { SandboxOptions } from "../agents/agent-client";
import type { WebContext } from "../context";
import { HttpError } from "../http/http-error";
import type { SessionStarter } from "./session-starter";
import { newSeat, type SeatRecord, seatEndsAt, type WorkshopRecord, workshopLessonIds } from "./workshop-records";

/** What a seat's start carries: its workshop, and its sandbox's end, limits and no idle limit. */
export interface SeatStart {
  workshopId: string;
  options: SandboxOptions;
}

export function seatSandboxOptions(workshop: WorkshopRecord, seat: Pick<SeatRecord, "extraMinutes">): SandboxOptions {
  const limits = {
    ...(workshop.seatMemoryMib ? { memoryMib: workshop.seatMemoryMib } : {}),
    ...(workshop.seatCpus ? { cpus: workshop.seatCpus } : {}),
  };
  return {
    expiresAt: seatEndsAt(workshop, seat),
    // An attendee listening to the instructor is not idle: the workshop's end is the limit.
    idleLimit: false,
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
  };
}

function refuseUnlessRunning(workshop: WorkshopRecord): void {
  if (workshop.state === "ended" || workshop.endsAt.getTime() <= Date.now()) {
    throw new HttpError(`"${workshop.title}" has ended, and with it its sandboxes. Your progress is kept.`, 410);
  }
  if (workshop.pausedAt)
    throw new HttpError(`"${workshop.title}" is paused by its instructor. Your sandbox comes back when they resume it.`, 409);
}

/**
 * For a start by a workshop seat (the visitor is one) or by the workshop's
 * presenter (the instructors' own sandbox), the workshop's terms; undefined
 * for anyone else. A seat starts only its workshop's lessons, and only while
 * the workshop runs and is not paused.
 */
export async function seatStart(ctx: WebContext, visitorId: string, lessonId: string | null): Promise<SeatStart | undefined> {
  const seat = await ctx.db.seat.findUnique({ where: { visitorId }, include: { workshop: true } });
  if (!seat) {
    const presented = await ctx.db.workshop.findFirst({ where: { presenterVisitorId: visitorId } });
    if (!presented) return undefined;
    refuseUnlessRunning(presented);
    return { workshopId: presented.id, options: seatSandboxOptions(presented, { extraMinutes: 0 }) };
  }
  const { workshop } = seat;
  refuseUnlessRunning(workshop);
  const lessons = workshopLessonIds(workshop);
  if (!lessonId || !lessons.includes(lessonId)) {
    const titles = lessons.map((id) => ctx.lessons.find(id)?.title ?? id).join(", ");
    throw new HttpError(`In "${workshop.title}" your seat runs the workshop's lessons: ${titles}. Open one of them.`, 403);
  }
  return { workshopId: workshop.id, options: seatSandboxOptions(workshop, seat) };
}

/** At most this many seat preparations wait at the agent at once, so an arriving attendee's start is not queued behind them all. */
const PREPARING_AT_ONCE = 2;

/**
 * Makes seats ahead of arrivals, each with a sandbox for the first lesson
 * (files in place), until `count` seats wait unclaimed. Returns at once; the
 * meter follows the preparations, which run paced in the background.
 */
export async function prepareSeats(ctx: WebContext, workshop: WorkshopRecord, count: number, starter: SessionStarter): Promise<number> {
  const firstLesson = workshopLessonIds(workshop)[0];
  if (!firstLesson) throw new HttpError("The workshop has no lessons to prepare seats for. Add one first.", 400);
  const taken = await ctx.db.seat.count({ where: { workshopId: workshop.id, name: { not: null } } });
  const unclaimed = await ctx.db.seat.count({ where: { workshopId: workshop.id, name: null } });
  const room = Math.max(0, workshop.capacity - taken - unclaimed);
  const wanted = Math.min(count - unclaimed, room);
  if (wanted <= 0) return 0;
  const seats = [];
  for (let index = 0; index < wanted; index += 1) {
    seats.push(
      await ctx.db.seat.create({
        data: newSeat(workshop.id),
      }),
    );
  }
  ctx.log.info("workshop.preparing_seats", { workshopId: workshop.id, seats: wanted });
  const queue = [...seats];
  const worker = async () => {
    for (let seat = queue.shift(); seat; seat = queue.shift()) {
      await starter
        .start(seat.visitorId, firstLesson)
        .catch((error: unknown) => ctx.log.warn("workshop.seat_not_prepared", { workshopId: workshop.id, seatId: seat.id, error }));
      ctx.rooms.meterChanged(workshop.id);
    }
  };
  for (let index = 0; index < PREPARING_AT_ONCE; index += 1) void worker();
  ctx.rooms.meterChanged(workshop.id);
  return wanted;
}
