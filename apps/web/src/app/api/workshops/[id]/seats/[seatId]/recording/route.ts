import { NextResponse } from "next/server";
import { ASCIICAST_MEDIA_TYPE } from "@/recording/asciicast";
import { webContext } from "@/server/context";
import { errorResponse } from "@/server/http/responses";
import { seatRecording } from "@/server/workshops/seat-recording";
import { requireWorkshopInstructor } from "@/server/workshops/workshop-instructor";

export const dynamic = "force-dynamic";

/** A seat's terminal recording, the whole asciicast v2 file; for the workshop's instructors only (404 for anyone else). */
export async function GET(request: Request, { params }: { params: Promise<{ id: string; seatId: string }> }): Promise<NextResponse> {
  const ctx = webContext();
  try {
    const { id, seatId } = await params;
    await requireWorkshopInstructor(ctx, request.headers.get("cookie"), id);
    const recording = await seatRecording(ctx.db, id, seatId);
    return new NextResponse(recording.cast, {
      headers: {
        "content-type": ASCIICAST_MEDIA_TYPE,
        "content-disposition": `inline; filename="${seatId.replace(/[^A-Za-z0-9_-]/g, "")}.cast"`,
        "x-recording-truncated": String(recording.truncated),
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return errorResponse(ctx, error);
  }
}
