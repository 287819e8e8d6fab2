import { NextResponse } from "next/server";
import { webContext } from "@/server/context";
import { requireInstructor } from "@/server/http/instructor-session";
import { readJsonBody, stringField } from "@/server/http/json-body";
import { errorResponse } from "@/server/http/responses";
import { transitionWorkshop } from "@/server/workshops/workshop-admin";

export const dynamic = "force-dynamic";

/** Moves the workshop to another state, `{"to": "open" | "running" | "ended" | "draft"}`, under the state rules. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<NextResponse> {
  const ctx = webContext();
  try {
    const instructor = await requireInstructor(ctx);
    const to = stringField(await readJsonBody(request, '{"to": "open"} (or running, ended, draft)'), "to");
    const workshop = await transitionWorkshop(ctx, instructor.id, (await params).id, to);
    ctx.log.info("workshop.state_changed", { workshopId: workshop.id, state: workshop.state, instructorId: instructor.id });
    return NextResponse.json({ workshop });
  } catch (error) {
    return errorResponse(ctx, error);
  }
}
