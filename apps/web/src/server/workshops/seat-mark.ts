/** Says "this browser holds a seat" before anything is read (server.ts's door lets seats past the anonymous "full"). */
export const SEAT_MARK_COOKIE = "drydock_seat";
