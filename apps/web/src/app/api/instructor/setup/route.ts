import { NextResponse } from "next/server";
import { webContext } from "@/server/context";
import { setInstructorCookie } from "@/server/http/instructor-session";
import { readJsonBody, stringField } from "@/server/http/json-body";
import { errorResponse } from "@/server/http/responses";
import { createFirstInstructor, openInstructorSession } from "@/server/instructors/instructor-accounts";

export const dynamic = "force-dynamic";

/** First run: makes the first instructor account (only while there is none) and signs it in. */
export async function POST(request: Request): Promise<NextResponse> {
  const ctx = webContext();
  try {
    const body = await readJsonBody(request, '{"name", "email", "password"}');
    const instructor = await createFirstInstructor(ctx.db, {
      name: stringField(body, "name"),
      email: stringField(body, "email"),
      password: stringField(body, "password"),
    });
    ctx.log.info("instructor.created", { instructorId: instructor.id, by: "setup" });
    const response = NextResponse.json({ instructor }, { status: 201 });
    setInstructorCookie(response, request, await openInstructorSession(ctx.db, instructor.id));
    return response;
  } catch (error) {
    return errorResponse(ctx, error);
  }
}
