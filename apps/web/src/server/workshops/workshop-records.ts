import { randomBytes } from "node:crypto";
import type { Seat, Workshop } from "../../../generated/prisma/client";
import { newVisitorId } from "../learners/visitor";
import { newRejoinCode } from "./join-code";

export type WorkshopRecord = Workshop;
export type SeatRecord = Seat;

export function workshopLessonIds(workshop: Pick<Workshop, "lessonIds">): string[] {
  const parsed: unknown = JSON.parse(workshop.lessonIds);
  return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === "string") : [];
}

/** Whether attendees may join (and rejoin) now. */
export function isJoinable(workshop: Pick<Workshop, "state" | "endsAt">, now: Date): "yes" | "not-open" | "ended" {
  if (workshop.state === "draft") return "not-open";
  if (workshop.state === "ended" || workshop.endsAt.getTime() <= now.getTime()) return "ended";
  return "yes";
}

/** When a seat's sandbox ends: the workshop's end plus the seat's own extension. */
export function seatEndsAt(workshop: Pick<Workshop, "endsAt">, seat: Pick<Seat, "extraMinutes">): Date {
  return new Date(workshop.endsAt.getTime() + seat.extraMinutes * 60_000);
}

/** A new seat's identity: its id, the visitor id its browser will carry, and its personal rejoin code. */
export function newSeat(workshopId: string): { id: string; workshopId: string; visitorId: string; rejoinCode: string } {
  return { id: `seat_${randomBytes(10).toString("hex")}`, workshopId, visitorId: newVisitorId(), rejoinCode: newRejoinCode() };
}
