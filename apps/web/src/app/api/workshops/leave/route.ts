import { NextResponse } from "next/server";
import { leaveSeat } from "@/server/workshops/seat-cookies";

export const dynamic = "force-dynamic";

/** This browser stops being its seat (the seat stays for a rejoin); it is its own visitor again. */
export async function POST(): Promise<Response> {
  await leaveSeat();
  return NextResponse.json({ left: true });
}
