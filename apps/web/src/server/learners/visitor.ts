import { createHash, randomBytes } from "node:crypto";
import { parseCookie } from "cookie";

/** An anonymous learner is known by this cookie: httpOnly, so page scripts never see it. */
export const VISITOR_COOKIE = "drydock_visitor";
const VISITOR_ID = /^vis_[0-9a-f]{32}$/;

export function newVisitorId(): string {
  return `vis_${randomBytes(16).toString("hex")}`;
}

export function isVisitorId(value: unknown): value is string {
  return typeof value === "string" && VISITOR_ID.test(value);
}

/** Reads the visitor id from a raw Cookie header (the socket.io handshake has no cookie parser of its own). */
export function visitorFromCookieHeader(header: string | undefined): string | undefined {
  const value = parseCookie(header ?? "")[VISITOR_COOKIE];
  return isVisitorId(value) ? value : undefined;
}

/**
 * The name other parts may see for a visitor (agents, labels, logs). The
 * cookie's value authenticates the visitor, so it never leaves the web app.
 */
export function publicVisitorId(visitorId: string): string {
  return `visitor-${createHash("sha256").update(visitorId).digest("hex").slice(0, 24)}`;
}
