import { type RateLimiter, rateRefusal } from "../budget/rate-limiter";
import type { HttpError } from "../http/http-error";

/** The requests that check a password (each costs an argon2 hash): counted per client address at the door. */
export const SIGN_IN_PATHS: ReadonlySet<string> = new Set(["/api/instructor/login", "/api/instructor/setup"]);

/** A 429 with Retry-After once the address made too many sign-in attempts in the window; undefined to let it through. */
export function signInRefusal(limiter: RateLimiter, address: string, now = Date.now()): Promise<HttpError | undefined> {
  return rateRefusal(limiter, address, (seconds) => `Too many sign-in attempts from your address. Wait ${seconds} s, then try again.`, now);
}
