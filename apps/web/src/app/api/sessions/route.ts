import { NextResponse } from "next/server";
import { errorResponse, visitorId } from "@/server/http";
import { startSession } from "@/server/sessions";

export const dynamic = "force-dynamic";

/** Start a session: a private sandbox for this browser. */
export async function POST(): Promise<NextResponse> {
  try {
    const session = await startSession(await visitorId());
    return NextResponse.json(session, { status: 201 });
  } catch (error) {
    return errorResponse(error);
  }
}
