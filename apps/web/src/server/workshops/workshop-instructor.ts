import type { WebContext } from "../context";
import { HttpError } from "../http/http-error";
import { instructorFromCookieHeader, type SignedInInstructor, type WorkshopRole, workshopRole } from "../instructors/instructor-access";

/**
 * The signed-in instructor who runs the workshop (owner or co-instructor).
 * Everyone else — no cookie, an attendee, another instructor — gets the same
 * 404 as for a workshop that does not exist, so nothing reveals it.
 */
export async function requireWorkshopInstructor(
  ctx: WebContext,
  cookieHeader: string | null | undefined,
  workshopId: string,
): Promise<{ instructor: SignedInInstructor; role: WorkshopRole }> {
  const instructor = await instructorFromCookieHeader(ctx, cookieHeader ?? undefined);
  if (!instructor) throw new HttpError("No such workshop among the ones you run.", 404);
  return { instructor, role: await workshopRole(ctx, instructor.id, workshopId) };
}
