import type { NextResponse } from "next/server";
import { webContext } from "@/server/context";
import { reportDownload } from "@/server/workshops/report-response";

export const dynamic = "force-dynamic";

/** The workshop's report, a row per attendee per step, as CSV. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<NextResponse> {
  return reportDownload(webContext(), request, (await params).id, "csv");
}
