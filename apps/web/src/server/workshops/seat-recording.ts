import type { Database } from "../db";
import { HttpError } from "../http/http-error";

export interface SeatRecording {
  /** The whole .cast file: the header line, then every event in order. */
  cast: string;
  truncated: boolean;
  bytes: number;
  startedAt: Date;
}

/**
 * A seat's terminal recording as one asciicast v2 file, read from the
 * database only (recordings outlive the seat's sandboxes). The seat must be
 * of the workshop named: a seat id of another workshop answers 404, like one
 * that does not exist.
 */
export async function seatRecording(db: Database, workshopId: string, seatId: string): Promise<SeatRecording> {
  const seat = await db.seat.findFirst({ where: { id: seatId, workshopId }, select: { id: true } });
  if (!seat) throw new HttpError("This workshop has no such seat.", 404);
  const recording = await db.recording.findFirst({
    where: { seatId },
    orderBy: { startedAt: "asc" },
    include: { chunks: { orderBy: { seq: "asc" }, select: { events: true } } },
  });
  if (!recording) {
    throw new HttpError("This seat has no recording: the workshop does not record terminals, or the attendee has not opened one yet.", 404);
  }
  const header = recording.header.endsWith("\n") ? recording.header : `${recording.header}\n`;
  return {
    cast: header + recording.chunks.map((chunk) => chunk.events).join(""),
    truncated: recording.truncated,
    bytes: recording.bytes,
    startedAt: recording.startedAt,
  };
}

export interface RecordingSummary {
  workshopTitle: string;
  attendee: string | null;
  recording: { bytes: number; truncated: boolean; startedAt: Date } | null;
}

/** What the replay page shows around the player; 404 for a seat not of this workshop. */
export async function recordingSummary(db: Database, workshopId: string, seatId: string): Promise<RecordingSummary> {
  const seat = await db.seat.findFirst({
    where: { id: seatId, workshopId },
    select: {
      name: true,
      workshop: { select: { title: true } },
      recordings: { orderBy: { startedAt: "asc" }, take: 1, select: { bytes: true, truncated: true, startedAt: true } },
    },
  });
  if (!seat) throw new HttpError("This workshop has no such seat.", 404);
  return { workshopTitle: seat.workshop.title, attendee: seat.name, recording: seat.recordings[0] ?? null };
}
