import { NextResponse } from "next/server";
import { webContext } from "@/server/context";
import { requireInstructor } from "@/server/http/instructor-session";
import { readJsonBody, stringField } from "@/server/http/json-body";
import { errorResponse } from "@/server/http/responses";
import { changeWorkshopState } from "@/server/workshops/room-control";

export const dynamic = "force-dynamic";

/** Moves the workshop to another state, `{"to": "open" | "running" | "ended" | "draft"}`, under the state rules; ending removes its sandboxes. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<NextResponse> {
  const ctx = webContext();
  try {
    const instructor = await requireInstructor(ctx);
    const to = stringField(await readJsonBody(request, '{"to": "open"} (or running, ended, draft)'), "to");
    const workshop = await changeWorkshopState(ctx, instructor.id, (await params).id, to);
    return NextResponse.json({ workshop });
  } catch (error) {
    return errorResponse(ctx, error);
  }
}
