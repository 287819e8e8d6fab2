import type { WebContext } from "../context";
import { workshopLessonIds } from "./workshop-records";

/** A check's output is kept this long for the instructor's view of the seat. */
const MAX_CHECK_OUTPUT_CHARS = 4_000;
const MAX_COMMAND_CHARS = 500;

export interface SeatRef {
  seatId: string;
  workshopId: string;
}

/** The seat a visitor id sits in, if it is one. */
export async function seatOfVisitor(ctx: WebContext, visitorId: string): Promise<SeatRef | undefined> {
  const seat = await ctx.db.seat.findUnique({ where: { visitorId }, select: { id: true, workshopId: true } });
  return seat ? { seatId: seat.id, workshopId: seat.workshopId } : undefined;
}

/** The attendee's page shows a step: the first time starts its clock. Steps outside the workshop are ignored. */
export async function stepViewed(ctx: WebContext, seat: SeatRef, lessonId: string, stepId: string): Promise<void> {
  const workshop = await ctx.db.workshop.findUnique({ where: { id: seat.workshopId }, select: { lessonIds: true } });
  const lesson = ctx.lessons.find(lessonId);
  if (!workshop || !workshopLessonIds(workshop).includes(lessonId) || !lesson?.steps.some((step) => step.id === stepId)) return;
  const created = await ctx.db.seatStep.upsert({
    where: { seatId_lessonId_stepId: { seatId: seat.seatId, lessonId, stepId } },
    create: { seatId: seat.seatId, lessonId, stepId },
    update: {},
  });
  if (Date.now() - created.enteredAt.getTime() < 5_000) ctx.rooms.seatsChanged(seat.workshopId);
}

/** Each check of a step, passed or not, with its output for the instructor. */
export async function checkRan(
  ctx: WebContext,
  seat: SeatRef,
  lessonId: string,
  stepId: string,
  passed: boolean,
  output: string,
): Promise<void> {
  const now = new Date();
  const key = { seatId_lessonId_stepId: { seatId: seat.seatId, lessonId, stepId } };
  // The first pass is the step's; a later check (passed again or not) only counts as an attempt.
  const firstPass = passed && !(await ctx.db.seatStep.findUnique({ where: key }))?.passedAt;
  await ctx.db.$transaction([
    ctx.db.checkAttempt.create({
      data: { seatId: seat.seatId, lessonId, stepId, passed, output: output.slice(-MAX_CHECK_OUTPUT_CHARS), at: now },
    }),
    ctx.db.seatStep.upsert({
      where: key,
      create: { seatId: seat.seatId, lessonId, stepId, enteredAt: now, attempts: 1, ...(passed ? { passedAt: now } : {}) },
      update: { attempts: { increment: 1 }, ...(firstPass ? { passedAt: now } : {}) },
    }),
  ]);
  ctx.rooms.seatsChanged(seat.workshopId);
}

/** A command ended in the seat's terminal (the shell's OSC 133 mark, read by the agent). */
export async function commandEnded(ctx: WebContext, seat: SeatRef, exitCode: number, command: string | undefined, at: Date): Promise<void> {
  await ctx.db.commandMark.create({
    data: { seatId: seat.seatId, exitCode, command: command ? command.slice(0, MAX_COMMAND_CHARS) : null, at },
  });
  ctx.rooms.seatsChanged(seat.workshopId);
}
