import { NextResponse } from "next/server";
import { webContext } from "@/server/context";
import { requireInstructor } from "@/server/http/instructor-session";
import { errorResponse } from "@/server/http/responses";
import { removeCoInstructor } from "@/server/workshops/workshop-admin";

export const dynamic = "force-dynamic";

/** The owner removes a co-instructor. */
export async function DELETE(
  _request: Request,
  { params }: { params: Promise<{ id: string; instructorId: string }> },
): Promise<NextResponse> {
  const ctx = webContext();
  try {
    const instructor = await requireInstructor(ctx);
    const { id, instructorId } = await params;
    return NextResponse.json({ workshop: await removeCoInstructor(ctx, instructor.id, id, instructorId) });
  } catch (error) {
    return errorResponse(ctx, error);
  }
}
