import { randomBytes } from "node:crypto";
import type { WebContext } from "../context";
import { HttpError } from "../http/http-error";
import { newVisitorId } from "../learners/visitor";
import { prepareSeats } from "./seat-sandboxes";
import { type SessionStarter, sessionStarter } from "./session-starter";
import { transitionWorkshop, type WorkshopView } from "./workshop-admin";
import { seatEndsAt, type WorkshopRecord } from "./workshop-records";

const LIVE = ["starting", "ready"];

/** The live seat sessions of a workshop (and its presenter's), one seat or all. */
async function liveSessions(ctx: WebContext, workshopId: string, visitorIds?: string[]) {
  return ctx.db.session.findMany({
    where: { workshopId, state: { in: LIVE }, ...(visitorIds ? { visitorId: { in: visitorIds } } : {}) },
  });
}

/** Runs an agent call for each session; one failing sandbox does not stop the others, and is logged. */
async function forEachSandbox(
  ctx: WebContext,
  sessions: { id: string; sandboxId: string | null; agentUrl: string }[],
  event: string,
  act: (agentUrl: string, sandboxId: string, sessionId: string) => Promise<unknown>,
): Promise<number> {
  const results = await Promise.allSettled(
    sessions.flatMap((session) => (session.sandboxId ? [act(session.agentUrl, session.sandboxId, session.id)] : [])),
  );
  const failed = results.filter((result) => result.status === "rejected");
  for (const failure of failed) ctx.log.warn(event, { error: (failure as PromiseRejectedResult).reason });
  return failed.length;
}

export async function postMessage(
  ctx: WebContext,
  workshop: WorkshopRecord,
  fromName: string,
  text: string,
  seatId?: string,
): Promise<void> {
  if (seatId) await seatOf(ctx, workshop.id, seatId);
  await ctx.db.workshopMessage.create({ data: { workshopId: workshop.id, seatId: seatId ?? null, text, fromName } });
  if (seatId) ctx.rooms.attendeeChanged(seatId);
  else ctx.rooms.workshopChanged(workshop.id);
}

export async function seatOf(ctx: WebContext, workshopId: string, seatId: string) {
  const seat = await ctx.db.seat.findUnique({ where: { id: seatId } });
  if (!seat || seat.workshopId !== workshopId) throw new HttpError("No such seat in this workshop.", 404);
  return seat;
}

/** Moves the end of the workshop (or of one seat) and of the sandboxes that live until it. */
export async function extendTime(ctx: WebContext, workshop: WorkshopRecord, minutes: number, seatId?: string): Promise<{ endsAt: string }> {
  if (seatId) {
    const seat = await ctx.db.seat.update({
      where: { id: (await seatOf(ctx, workshop.id, seatId)).id },
      data: { extraMinutes: { increment: minutes } },
    });
    const endsAt = seatEndsAt(workshop, seat);
    if (endsAt.getTime() <= Date.now()) throw new HttpError("That would end the seat's time in the past; extend by less.", 400);
    await forEachSandbox(ctx, await liveSessions(ctx, workshop.id, [seat.visitorId]), "workshop.extend_failed", (url, id) =>
      ctx.agents.at(url).extendSandbox(id, endsAt),
    );
    ctx.rooms.attendeeChanged(seat.id);
    ctx.rooms.seatsChanged(workshop.id);
    return { endsAt: endsAt.toISOString() };
  }
  const endsAt = new Date(workshop.endsAt.getTime() + minutes * 60_000);
  if (endsAt.getTime() <= Date.now()) throw new HttpError("That would end the workshop in the past; use End instead.", 400);
  const updated = await ctx.db.workshop.update({ where: { id: workshop.id }, data: { endsAt } });
  await applySeatEnds(ctx, updated);
  return { endsAt: endsAt.toISOString() };
}

/** Every live sandbox of the workshop is told its seat's end. */
async function applySeatEnds(ctx: WebContext, workshop: WorkshopRecord): Promise<void> {
  const seats = await ctx.db.seat.findMany({ where: { workshopId: workshop.id } });
  const ends = new Map(seats.map((seat) => [seat.visitorId, seatEndsAt(workshop, seat)]));
  const sessions = await liveSessions(ctx, workshop.id);
  await forEachSandbox(ctx, sessions, "workshop.extend_failed", (url, id) => {
    const session = sessions.find((candidate) => candidate.sandboxId === id);
    return ctx.agents.at(url).extendSandbox(id, ends.get(session?.visitorId ?? "") ?? workshop.endsAt);
  });
  ctx.rooms.workshopChanged(workshop.id);
}

/** Freezes every seat (processes stop, memory and files stay): the end of a day. The workshop's clock stops with them. */
export async function pauseRoom(ctx: WebContext, workshop: WorkshopRecord): Promise<void> {
  if (workshop.pausedAt) return;
  await ctx.db.workshop.update({ where: { id: workshop.id }, data: { pausedAt: new Date() } });
  // The room hears it at once; the sandboxes freeze meanwhile (a busy engine may take its time).
  ctx.rooms.workshopChanged(workshop.id);
  const failed = await forEachSandbox(ctx, await liveSessions(ctx, workshop.id), "workshop.pause_failed", (url, id) =>
    ctx.agents.at(url).pauseSandbox(id),
  );
  if (failed > 0) throw new HttpError(`${failed} sandbox(es) could not be paused; the agent's log says why. The others are paused.`, 502);
}

/** Thaws every seat; the workshop's end moves by the time it was paused, so no minute of the class is lost. */
export async function resumeRoom(ctx: WebContext, workshop: WorkshopRecord): Promise<void> {
  if (!workshop.pausedAt) return;
  const pausedFor = Date.now() - workshop.pausedAt.getTime();
  const updated = await ctx.db.workshop.update({
    where: { id: workshop.id },
    data: { pausedAt: null, endsAt: new Date(workshop.endsAt.getTime() + pausedFor) },
  });
  const failed = await forEachSandbox(ctx, await liveSessions(ctx, workshop.id), "workshop.resume_failed", (url, id) =>
    ctx.agents.at(url).resumeSandbox(id),
  );
  await applySeatEnds(ctx, updated);
  if (failed > 0) throw new HttpError(`${failed} sandbox(es) could not be resumed; reset those seats (their files are kept).`, 502);
}

/** A fresh sandbox for the seat's current lesson, with the files it saved restored; the attendee's page attaches to it. */
export async function resetSeat(ctx: WebContext, workshop: WorkshopRecord, seatId: string, sessions: SessionStarter): Promise<void> {
  if (workshop.pausedAt) throw new HttpError("Resume the workshop before resetting a seat.", 409);
  const seat = await seatOf(ctx, workshop.id, seatId);
  const last = await ctx.db.session.findFirst({
    where: { visitorId: seat.visitorId, lessonId: { not: null } },
    orderBy: { createdAt: "desc" },
  });
  const lessonId = last?.lessonId ?? null;
  if (!lessonId) throw new HttpError("This seat has not started a lesson yet; there is nothing to reset.", 409);
  ctx.log.info("workshop.seat_reset", { workshopId: workshop.id, seatId });
  await sessions.start(seat.visitorId, lessonId);
  ctx.rooms.seatReset(seatId);
  ctx.rooms.seatsChanged(workshop.id);
}

/**
 * Moves the workshop through its states (the rules in workshop-states.ts), from
 * its page or its dashboard; ending it removes its sandboxes and keeps the
 * roster, progress, report and recordings until it is deleted.
 */
export async function changeWorkshopState(ctx: WebContext, instructorId: string, workshopId: string, to: string): Promise<WorkshopView> {
  const view = await transitionWorkshop(ctx, instructorId, workshopId, to);
  ctx.log.info("workshop.state_changed", { workshopId, state: view.state, instructorId });
  if (view.state === "ended") await removeWorkshopSandboxes(ctx, workshopId);
  if (view.state === "open" || view.state === "running") await prepareAsSet(ctx, workshopId);
  ctx.rooms.workshopChanged(workshopId);
  return view;
}

/** Opening the room readies the seats its settings ask for (nothing when they are there already). */
async function prepareAsSet(ctx: WebContext, workshopId: string): Promise<void> {
  const workshop = await ctx.db.workshop.findUnique({ where: { id: workshopId } });
  if (!workshop || workshop.preparedSeats === 0) return;
  await prepareSeats(ctx, workshop, workshop.preparedSeats, sessionStarter(ctx));
}

async function removeWorkshopSandboxes(ctx: WebContext, workshopId: string): Promise<void> {
  await ctx.db.workshop.update({ where: { id: workshopId }, data: { presenting: false, pausedAt: null } });
  const sessions = await liveSessions(ctx, workshopId);
  await forEachSandbox(ctx, sessions, "workshop.removal_failed", (url, id) => ctx.agents.at(url).destroySandbox(id));
  await ctx.db.session.updateMany({
    where: { id: { in: sessions.map((session) => session.id) } },
    data: { state: "gone", endedAt: new Date() },
  });
  await ctx.db.takeover.updateMany({ where: { seat: { workshopId }, endedAt: null }, data: { endedAt: new Date() } });
  ctx.budget.released();
  ctx.log.info("workshop.sandboxes_removed", { workshopId, sandboxes: sessions.length });
}

/** Present mode: the instructors' own sandbox, whose terminal every attendee's page shows read-only. */
export async function setPresenting(ctx: WebContext, workshop: WorkshopRecord, on: boolean, sessions: SessionStarter): Promise<void> {
  if (on) {
    const presenter = workshop.presenterVisitorId ?? newVisitorId();
    if (!workshop.presenterVisitorId) await ctx.db.workshop.update({ where: { id: workshop.id }, data: { presenterVisitorId: presenter } });
    const live = await liveSessions(ctx, workshop.id, [presenter]);
    if (!live.some((session) => session.state === "ready")) await sessions.start(presenter, null);
  }
  await ctx.db.workshop.update({ where: { id: workshop.id }, data: { presenting: on } });
  ctx.rooms.workshopChanged(workshop.id);
}

export async function raiseHand(ctx: WebContext, seatId: string, workshopId: string): Promise<void> {
  const open = await ctx.db.helpRequest.findFirst({ where: { seatId, resolvedAt: null, withdrawnAt: null } });
  if (!open) await ctx.db.helpRequest.create({ data: { id: `hand_${randomBytes(8).toString("hex")}`, seatId } });
  ctx.rooms.handsChanged(workshopId);
  ctx.rooms.attendeeChanged(seatId);
}

export async function lowerHand(ctx: WebContext, seatId: string, workshopId: string): Promise<void> {
  await ctx.db.helpRequest.updateMany({ where: { seatId, resolvedAt: null, withdrawnAt: null }, data: { withdrawnAt: new Date() } });
  ctx.rooms.handsChanged(workshopId);
  ctx.rooms.attendeeChanged(seatId);
}

/** Claims (an instructor takes it) or resolves a raised hand of this workshop. */
export async function answerHand(
  ctx: WebContext,
  workshopId: string,
  handId: string,
  instructorId: string,
  action: "claim" | "resolve",
): Promise<void> {
  const hand = await ctx.db.helpRequest.findUnique({ where: { id: handId }, include: { seat: { select: { workshopId: true } } } });
  if (!hand || hand.seat.workshopId !== workshopId) throw new HttpError("No such raised hand in this workshop.", 404);
  if (hand.resolvedAt || hand.withdrawnAt) throw new HttpError("That hand is already down.", 409);
  await ctx.db.helpRequest.update({
    where: { id: handId },
    data:
      action === "claim"
        ? { claimedBy: instructorId, claimedAt: new Date() }
        : { resolvedAt: new Date(), claimedBy: hand.claimedBy ?? instructorId },
  });
  ctx.rooms.handsChanged(workshopId);
  ctx.rooms.attendeeChanged(hand.seatId);
}
