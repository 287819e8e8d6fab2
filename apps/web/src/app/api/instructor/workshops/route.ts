import { NextResponse } from "next/server";
import { webContext } from "@/server/context";
import { requireInstructor } from "@/server/http/instructor-session";
import { readJsonBody } from "@/server/http/json-body";
import { errorResponse } from "@/server/http/responses";
import { createWorkshop, listWorkshops } from "@/server/workshops/workshop-admin";

export const dynamic = "force-dynamic";

/** The workshops the signed-in instructor owns or co-runs. */
export async function GET(): Promise<NextResponse> {
  const ctx = webContext();
  try {
    const instructor = await requireInstructor(ctx);
    return NextResponse.json({ workshops: await listWorkshops(ctx, instructor.id) });
  } catch (error) {
    return errorResponse(ctx, error);
  }
}

/** A new draft workshop owned by the signed-in instructor. */
export async function POST(request: Request): Promise<NextResponse> {
  const ctx = webContext();
  try {
    const instructor = await requireInstructor(ctx);
    const workshop = await createWorkshop(ctx, instructor.id, await readJsonBody(request, "the workshop form's fields"));
    ctx.log.info("workshop.created", { workshopId: workshop.id, instructorId: instructor.id });
    return NextResponse.json({ workshop }, { status: 201 });
  } catch (error) {
    return errorResponse(ctx, error);
  }
}
