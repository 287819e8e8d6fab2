import { createLogger } from "@drydock/server-kit";
import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { SessionError } from "./sessions";
import { isVisitorId, newVisitorId, VISITOR_COOKIE } from "./visitor";

const log = createLogger("web");

/** The visitor's id if the cookie holds one (pages cannot set cookies while rendering; the first API call does). */
export async function knownVisitorId(): Promise<string | undefined> {
  const existing = (await cookies()).get(VISITOR_COOKIE)?.value;
  return isVisitorId(existing) ? existing : undefined;
}

/** The visitor's id from the cookie, minting one (and setting the cookie) on a first visit. */
export async function visitorId(): Promise<string> {
  const jar = await cookies();
  const existing = jar.get(VISITOR_COOKIE)?.value;
  if (isVisitorId(existing)) return existing;
  const id = newVisitorId();
  jar.set(VISITOR_COOKIE, id, { httpOnly: true, sameSite: "lax", path: "/", maxAge: 60 * 60 * 24 * 365 });
  return id;
}

/** Errors become JSON with a status; unexpected ones are logged and shown without internals. */
export function errorResponse(error: unknown): NextResponse {
  if (error instanceof SessionError) return NextResponse.json({ error: error.message }, { status: error.status });
  log.error("api.failed", { error });
  return NextResponse.json({ error: "Something went wrong on the server; try again." }, { status: 500 });
}
