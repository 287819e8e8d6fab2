import type { WebContext } from "../context";
import { HttpError } from "../http/http-error";
import { instructorFromCookieHeader, type SignedInInstructor, type WorkshopRole, workshopRole } from "../instructors/instructor-access";
import { visitorFromCookieHeader } from "../learners/visitor";

/** Who a workshop socket is, as its cookies prove. */
export type RoomMember =
  | { kind: "instructor"; workshopId: string; instructor: SignedInInstructor; role: WorkshopRole }
  | { kind: "attendee"; workshopId: string; seatId: string; name: string };

/**
 * An instructor who runs the workshop, or an attendee seated in it; anyone
 * else is refused with the same answer whether or not the workshop exists.
 */
export async function whoIsInRoom(ctx: WebContext, workshopId: string, cookieHeader: string | undefined): Promise<RoomMember> {
  const instructor = await instructorFromCookieHeader(ctx, cookieHeader);
  if (instructor) {
    const role = await workshopRole(ctx, instructor.id, workshopId).catch(() => undefined);
    if (role) return { kind: "instructor", workshopId, instructor, role };
  }
  const visitorId = visitorFromCookieHeader(cookieHeader);
  const seat = visitorId ? await ctx.db.seat.findUnique({ where: { visitorId } }) : null;
  if (seat?.name && seat.workshopId === workshopId) return { kind: "attendee", workshopId, seatId: seat.id, name: seat.name };
  throw new HttpError("this browser has no seat in that workshop, nor runs it. Join with the workshop's code first.", 403);
}
