import { NextResponse } from "next/server";
import { webContext } from "@/server/context";
import { readJsonBody, stringField } from "@/server/http/json-body";
import { errorResponse, knownVisitorId } from "@/server/http/responses";
import { liveLessonSession } from "@/server/learners/sessions";
import { joinWorkshop } from "@/server/workshops/joining";
import { sitInSeat } from "@/server/workshops/seat-cookies";

export const dynamic = "force-dynamic";

/**
 * Join a workshop: {code, name} → a seat for this browser (the same one again
 * if it already has one), and the session of its first lesson when the seat
 * was prepared (its sandbox ready); otherwise the lesson page starts one.
 */
export async function POST(request: Request): Promise<Response> {
  const ctx = webContext();
  try {
    const body = await readJsonBody(request, '{"code": "<the workshop\'s code>", "name": "<your display name>"}');
    const seat = await joinWorkshop(ctx, {
      code: stringField(body, "code"),
      name: stringField(body, "name"),
      visitorId: await knownVisitorId(),
    });
    await sitInSeat(ctx.db, seat.visitorId);
    // A prepared seat's sandbox is ready already: the first lesson's terminal can attach at once.
    const first = seat.workshop.firstLessonId;
    const session = first ? await liveLessonSession(ctx, seat.visitorId, first) : null;
    return NextResponse.json(
      {
        seatId: seat.seatId,
        name: seat.name,
        rejoinCode: seat.rejoinCode,
        workshop: seat.workshop,
        resumed: seat.resumed,
        session: session ? { id: session.id, lessonId: first, expiresAt: session.expiresAt } : null,
        next: "/workshop",
      },
      { status: seat.resumed ? 200 : 201 },
    );
  } catch (error) {
    return errorResponse(ctx, error);
  }
}
