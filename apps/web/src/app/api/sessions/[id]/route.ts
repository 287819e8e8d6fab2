import { NextResponse } from "next/server";
import { errorResponse, visitorId } from "@/server/http";
import { endSession } from "@/server/sessions";

export const dynamic = "force-dynamic";

/** End a session and free its sandbox. */
export async function DELETE(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<NextResponse> {
  try {
    await endSession((await params).id, await visitorId());
    return new NextResponse(null, { status: 204 });
  } catch (error) {
    return errorResponse(error);
  }
}
