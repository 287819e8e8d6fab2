import { cookies } from "next/headers";
import type { Database } from "../db";
import { isVisitorId, VISITOR_COOKIE } from "../learners/visitor";
import { SEAT_MARK_COOKIE } from "./seat-mark";

/** The browser's own visitor id, kept while it sits in a workshop, to be restored when it leaves. */
const HOME_VISITOR_COOKIE = "drydock_home_visitor";
const YEAR_SECONDS = 60 * 60 * 24 * 365;
const options = { httpOnly: true, sameSite: "lax" as const, path: "/", maxAge: YEAR_SECONDS };

/** The browser becomes the seat: its sessions, files and progress from now on are the seat's. */
export async function sitInSeat(db: Database, seatVisitorId: string): Promise<void> {
  const jar = await cookies();
  const current = jar.get(VISITOR_COOKIE)?.value;
  // The browser's own id is kept to come back to; another seat's is not (a seat is left by leaving).
  if (isVisitorId(current) && current !== seatVisitorId && (await db.seat.count({ where: { visitorId: current } })) === 0) {
    jar.set(HOME_VISITOR_COOKIE, current, options);
  }
  jar.set(VISITOR_COOKIE, seatVisitorId, options);
  jar.set(SEAT_MARK_COOKIE, "1", options);
}

/** The browser is itself again: its own visitor id (or a fresh one at the next start). The seat stays, for a rejoin. */
export async function leaveSeat(): Promise<void> {
  const jar = await cookies();
  const home = jar.get(HOME_VISITOR_COOKIE)?.value;
  if (isVisitorId(home)) jar.set(VISITOR_COOKIE, home, options);
  else jar.delete(VISITOR_COOKIE);
  jar.delete(HOME_VISITOR_COOKIE);
  jar.delete(SEAT_MARK_COOKIE);
}
