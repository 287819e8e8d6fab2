import type { IncomingMessage, ServerResponse } from "node:http";
import { parseCookie } from "cookie";
import { rateRefusal } from "../budget/rate-limiter";
import type { WebContext } from "../context";
import { SIGN_IN_PATHS, signInRefusal } from "../instructors/sign-in-limit";
import { SEAT_MARK_COOKIE } from "../workshops/seat-mark";
import { HttpError } from "./http-error";
import { originRefusal } from "./origin-guard";

const hasSeatMark = (cookie: string | undefined) => parseCookie(cookie ?? "")[SEAT_MARK_COOKIE] === "1";

/** The start endpoint, whose attempts count against the client address's rate. */
const START_PATH = "/api/sessions";
/** The workshop joins, counted per address too: a join flood is refused at the door. */
const JOIN_PATHS = new Set(["/api/workshops/join", "/api/workshops/rejoin"]);

/**
 * What server.ts refuses before Next sees a request, from its headers and
 * connection alone: a state-changing request of another site's page (403),
 * and a start or an instructor's sign-in beyond its address's rate (429). Both cost next to nothing
 * (the rates are counted in memory, or in one Redis call with several web nodes),
 * which keeps a flood from slowing the learners already at work.
 */
export async function refusalAtTheDoor(req: IncomingMessage, ctx: WebContext): Promise<HttpError | undefined> {
  const foreign = originRefusal(req.method, req.url, req.headers);
  if (foreign) return new HttpError(foreign, 403);
  if (req.method !== "POST") return undefined;
  const path = new URL(req.url ?? "/", "http://web").pathname;
  const address = ctx.clientAddresses.of(req.socket.remoteAddress, req.headers["x-forwarded-for"]);
  if (path === START_PATH) return ctx.budget.attempt(address, { seat: hasSeatMark(req.headers.cookie) });
  if (JOIN_PATHS.has(path)) {
    return rateRefusal(
      ctx.joinRate,
      address,
      (seconds) => `Too many joins from your address in the last minute. Try again in ${seconds} s.`,
    );
  }
  if (SIGN_IN_PATHS.has(path)) return signInRefusal(ctx.signIns, address);
  return undefined;
}

/** The same JSON `{error}` the routes answer with. */
export function sendRefusal(res: ServerResponse, refusal: HttpError): void {
  res
    .writeHead(refusal.status, { "content-type": "application/json", "cache-control": "no-store", ...refusal.headers })
    .end(JSON.stringify({ error: refusal.message }));
}
