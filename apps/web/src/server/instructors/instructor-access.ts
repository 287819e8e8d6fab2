import { createHash } from "node:crypto";
import { parseCookie } from "cookie";
import type { WebContext } from "../context";
import { HttpError } from "../http/http-error";

/** A signed-in instructor's browser carries this cookie (httpOnly); the database keeps only its hash. */
export const INSTRUCTOR_COOKIE = "drydock_instructor";

export interface SignedInInstructor {
  id: string;
  email: string;
  name: string;
}

export type WorkshopRole = "owner" | "co";

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The instructor a raw Cookie header signs in, or null (no cookie, unknown or expired session). */
export async function instructorFromCookieHeader(
  ctx: Pick<WebContext, "db">,
  header: string | undefined,
): Promise<SignedInInstructor | null> {
  const token = parseCookie(header ?? "")[INSTRUCTOR_COOKIE];
  if (!token || token.length > 200) return null;
  const session = await ctx.db.instructorSession.findUnique({
    where: { tokenHash: hashSessionToken(token) },
    include: { instructor: { select: { id: true, email: true, name: true } } },
  });
  if (!session || session.expiresAt.getTime() < Date.now()) return null;
  return session.instructor;
}

/**
 * The instructor's role in a workshop. A workshop they do not run answers
 * exactly like one that does not exist (404), so its existence is not revealed.
 */
export async function workshopRole(ctx: Pick<WebContext, "db">, instructorId: string, workshopId: string): Promise<WorkshopRole> {
  const membership = await ctx.db.workshopInstructor.findUnique({
    where: { workshopId_instructorId: { workshopId, instructorId } },
  });
  if (!membership) throw new HttpError("No such workshop among the ones you run.", 404);
  return membership.role === "owner" ? "owner" : "co";
}
