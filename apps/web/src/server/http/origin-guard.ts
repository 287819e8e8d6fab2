import type { IncomingHttpHeaders } from "node:http";

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Whether a page of this origin sent the request: its Origin names the host it was sent to. */
export function isSameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Why a state-changing API request must be refused (403), or undefined to let
 * it through. A foreign Origin is another site's page (cross-site request
 * forgery); a browser always names the Origin of a state-changing fetch,
 * so a browser's request without it is refused too. Browsers are told by
 * Sec-Fetch-Site, which every current one sends and plain clients do not
 * (Node's fetch sends Sec-Fetch-Mode on its own, so that one tells nothing).
 * Tools (curl, scripts) pass here and meet the start budget instead.
 */
export function originRefusal(method: string | undefined, url: string | undefined, headers: IncomingHttpHeaders): string | undefined {
  if (!STATE_CHANGING.has(method ?? "") || !(url ?? "").startsWith("/api/")) return undefined;
  const origin = headers.origin;
  if (origin !== undefined) {
    if (isSameOrigin(origin, headers.host)) return undefined;
    return `Refused: this request comes from a page of another site (${origin}). Use Drydock from its own pages.`;
  }
  if (headers["sec-fetch-site"] !== undefined)
    return "Refused: the browser did not say which page sent this request (no Origin header). Use Drydock from its own pages.";
  return undefined;
}
