import { NextResponse } from "next/server";
import { webContext } from "@/server/context";
import { requireInstructor } from "@/server/http/instructor-session";
import { readJsonBody } from "@/server/http/json-body";
import { errorResponse } from "@/server/http/responses";
import { deleteWorkshop, getWorkshop, updateWorkshop } from "@/server/workshops/workshop-admin";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** One workshop the signed-in instructor runs (404 for any other). */
export async function GET(_request: Request, { params }: Params): Promise<NextResponse> {
  const ctx = webContext();
  try {
    const instructor = await requireInstructor(ctx);
    return NextResponse.json({ workshop: await getWorkshop(ctx, instructor.id, (await params).id) });
  } catch (error) {
    return errorResponse(ctx, error);
  }
}

/** Replaces the workshop's settings (the whole form) while it is a draft or open. */
export async function PUT(request: Request, { params }: Params): Promise<NextResponse> {
  const ctx = webContext();
  try {
    const instructor = await requireInstructor(ctx);
    const workshop = await updateWorkshop(ctx, instructor.id, (await params).id, await readJsonBody(request, "the workshop form's fields"));
    return NextResponse.json({ workshop });
  } catch (error) {
    return errorResponse(ctx, error);
  }
}

/** Deletes the workshop with its seats, report and recordings (owner only; draft or ended). */
export async function DELETE(_request: Request, { params }: Params): Promise<NextResponse> {
  const ctx = webContext();
  try {
    const instructor = await requireInstructor(ctx);
    const { id } = await params;
    await deleteWorkshop(ctx, instructor.id, id);
    ctx.log.info("workshop.deleted", { workshopId: id, instructorId: instructor.id });
    return new NextResponse(null, { status: 204 });
  } catch (error) {
    return errorResponse(ctx, error);
  }
}
