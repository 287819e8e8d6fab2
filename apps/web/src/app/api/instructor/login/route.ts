import { NextResponse } from "next/server";
import { webContext } from "@/server/context";
import { setInstructorCookie } from "@/server/http/instructor-session";
import { readJsonBody, stringField } from "@/server/http/json-body";
import { errorResponse } from "@/server/http/responses";
import { checkCredentials, openInstructorSession } from "@/server/instructors/instructor-accounts";

export const dynamic = "force-dynamic";

/** Signs an instructor in (server.ts has already counted the attempt against the address's rate). */
export async function POST(request: Request): Promise<NextResponse> {
  const ctx = webContext();
  try {
    const body = await readJsonBody(request, '{"email", "password"}');
    const instructor = await checkCredentials(ctx.db, stringField(body, "email"), stringField(body, "password"));
    const response = NextResponse.json({ instructor });
    setInstructorCookie(response, request, await openInstructorSession(ctx.db, instructor.id));
    return response;
  } catch (error) {
    return errorResponse(ctx, error);
  }
}
