import type { AttendeeState, WorkshopState } from "@drydock/protocol";
import type { WebContext } from "../context";
import { seatEndsAt } from "./workshop-records";

/** What one attendee's page shows of the room, from the database. */
export async function attendeeState(ctx: WebContext, seatId: string): Promise<AttendeeState | null> {
  const seat = await ctx.db.seat.findUnique({
    where: { id: seatId },
    include: {
      workshop: true,
      hands: { where: { resolvedAt: null, withdrawnAt: null }, select: { id: true } },
      takeovers: { where: { endedAt: null }, select: { instructorId: true } },
    },
  });
  if (!seat) return null;
  const [message, typist] = await Promise.all([
    ctx.db.workshopMessage.findFirst({
      where: { workshopId: seat.workshopId, OR: [{ seatId: null }, { seatId }] },
      orderBy: { at: "desc" },
    }),
    seat.takeovers[0] ? ctx.db.instructor.findUnique({ where: { id: seat.takeovers[0].instructorId }, select: { name: true } }) : null,
  ]);
  const { workshop } = seat;
  return {
    workshopId: workshop.id,
    title: workshop.title,
    state: workshop.state as WorkshopState,
    endsAt: seatEndsAt(workshop, seat).toISOString(),
    paused: workshop.pausedAt !== null,
    banner: message
      ? { text: message.text, from: message.fromName, at: message.at.toISOString(), personal: message.seatId !== null }
      : null,
    typingWith: seat.takeovers.length > 0 ? (typist?.name ?? "An instructor") : null,
    presenting: workshop.presenting,
    recorded: workshop.recordTerminals,
    handRaised: seat.hands.length > 0,
  };
}
