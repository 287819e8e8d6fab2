import { NextResponse } from "next/server";
import { webContext } from "@/server/context";
import { clearInstructorCookie, instructorCookieToken } from "@/server/http/instructor-session";
import { errorResponse } from "@/server/http/responses";
import { closeInstructorSession } from "@/server/instructors/instructor-accounts";

export const dynamic = "force-dynamic";

/** Signs out: the session ends in the database and the cookie is cleared; a form post lands on the sign-in page. */
export async function POST(request: Request): Promise<NextResponse> {
  const ctx = webContext();
  try {
    const token = await instructorCookieToken();
    if (token) await closeInstructorSession(ctx.db, token);
    const response = NextResponse.redirect(new URL("/instructor/login?signedOut=1", request.url), 303);
    clearInstructorCookie(response);
    return response;
  } catch (error) {
    return errorResponse(ctx, error);
  }
}
