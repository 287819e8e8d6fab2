import { NextResponse } from "next/server";
import type { WebContext } from "../context";
import { errorResponse } from "../http/responses";
import { requireWorkshopInstructor } from "./workshop-instructor";
import { reportCsv, reportFileName } from "./workshop-report";
import { workshopReport } from "./workshop-report-source";

/** The report as a download (CSV or JSON), for the workshop's instructors only; 404 for anyone else. */
export async function reportDownload(ctx: WebContext, request: Request, workshopId: string, format: "csv" | "json"): Promise<NextResponse> {
  try {
    await requireWorkshopInstructor(ctx, request.headers.get("cookie"), workshopId);
    const report = await workshopReport(ctx, workshopId);
    const body = format === "csv" ? reportCsv(report) : JSON.stringify(report, null, 2);
    return new NextResponse(body, {
      headers: {
        "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="${reportFileName(report.workshop.title, format)}"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return errorResponse(ctx, error);
  }
}
