import { NextResponse } from "next/server";
import { webContext } from "@/server/context";
import { readJsonBody, stringField } from "@/server/http/json-body";
import { errorResponse } from "@/server/http/responses";
import { rejoinSeat } from "@/server/workshops/joining";
import { sitInSeat } from "@/server/workshops/seat-cookies";

export const dynamic = "force-dynamic";

/** Move a seat to this browser with its personal rejoin code. */
export async function POST(request: Request): Promise<Response> {
  const ctx = webContext();
  try {
    const body = await readJsonBody(request, '{"rejoinCode": "<the 10-character code your workshop page showed>"}');
    const seat = await rejoinSeat(ctx, stringField(body, "rejoinCode"));
    await sitInSeat(ctx.db, seat.visitorId);
    return NextResponse.json({ seatId: seat.seatId, name: seat.name, workshop: seat.workshop, next: "/workshop" });
  } catch (error) {
    return errorResponse(ctx, error);
  }
}
