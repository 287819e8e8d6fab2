import { NextResponse } from "next/server";
import { webContext } from "@/server/context";
import { errorResponse, visitorId } from "@/server/http/responses";
import { endSession } from "@/server/learners/sessions";

export const dynamic = "force-dynamic";

/** End a session and free its sandbox. */
export async function DELETE(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<NextResponse> {
  const ctx = webContext();
  try {
    await endSession(ctx, (await params).id, await visitorId());
    return new NextResponse(null, { status: 204 });
  } catch (error) {
    return errorResponse(ctx, error);
  }
}
