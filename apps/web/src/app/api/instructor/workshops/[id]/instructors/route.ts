import { NextResponse } from "next/server";
import { webContext } from "@/server/context";
import { requireInstructor } from "@/server/http/instructor-session";
import { readJsonBody, stringField } from "@/server/http/json-body";
import { errorResponse } from "@/server/http/responses";
import { inviteCoInstructor } from "@/server/workshops/workshop-admin";

export const dynamic = "force-dynamic";

/** The owner invites an existing instructor as co-instructor, `{"email": "…"}`. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<NextResponse> {
  const ctx = webContext();
  try {
    const instructor = await requireInstructor(ctx);
    const email = stringField(await readJsonBody(request, '{"email": "<an instructor\'s e-mail>"}'), "email");
    return NextResponse.json({ workshop: await inviteCoInstructor(ctx, instructor.id, (await params).id, email) }, { status: 201 });
  } catch (error) {
    return errorResponse(ctx, error);
  }
}
