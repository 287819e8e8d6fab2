import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RecordingPlayerLoader } from "@/components/workshop/RecordingPlayerLoader";
import { webContext } from "@/server/context";
import { HttpError } from "@/server/http/http-error";
import { recordingSummary } from "@/server/workshops/seat-recording";
import { requireWorkshopInstructor } from "@/server/workshops/workshop-instructor";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Recording · Drydock", robots: { index: false } };

interface Params {
  params: Promise<{ id: string; seatId: string }>;
}

/** An attendee's terminal, replayed; for the workshop's instructors only (anyone else gets the 404 page). */
export default async function SeatRecordingPage({ params }: Params) {
  const { id, seatId } = await params;
  const ctx = webContext();
  const summary = await requireWorkshopInstructor(ctx, (await headers()).get("cookie"), id)
    .then(() => recordingSummary(ctx.db, id, seatId))
    .catch((error: unknown) => {
      if (error instanceof HttpError && error.status === 404) notFound();
      throw error;
    });
  const dashboard = `/instructor/workshops/${encodeURIComponent(id)}`;
  return (
    <main className="recording-page">
      <header className="page-header">
        <h1>
          <Link href={dashboard}>{summary.workshopTitle}</Link> · {summary.attendee ?? "Unnamed seat"}
        </h1>
        <p>The attendee's terminal as it was recorded. Pauses longer than 2 s play as 2 s.</p>
      </header>
      {summary.recording ? (
        <>
          {summary.recording.truncated ? (
            <p className="recording-note" role="note">
              This recording reached its size limit ({Math.round(summary.recording.bytes / 1024)} KiB) and stops there.
            </p>
          ) : null}
          <RecordingPlayerLoader src={`/api/workshops/${encodeURIComponent(id)}/seats/${encodeURIComponent(seatId)}/recording`} />
        </>
      ) : (
        <p className="recording-note">
          Nothing recorded for this seat yet: the workshop does not record terminals, or the attendee has not opened one.
        </p>
      )}
    </main>
  );
}
