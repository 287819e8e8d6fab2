import { timingSafeEqual } from "node:crypto";
import { isLearnerName, keyedDigest } from "./credentials";
import type { Caller } from "./rules";

/**
 * Bearer tokens of the gateway's token endpoint. Docker's registry client
 * speaks two schemes: with a Basic challenge, a dockerd that has no
 * credentials for the host (a registry mirror never has any) gives up before
 * its first request; with a Bearer challenge it asks the token endpoint,
 * anonymously or with the learner's password, and carries the answer. So the
 * mirror reads anonymously while `docker login` still has its password
 * checked. A token only says who the caller is; the rules decide per request.
 * Format: subject "." expiry (epoch seconds) "." base64url HMAC.
 */

export const TOKEN_TTL_SECONDS = 300;
const ANONYMOUS = "-";

type TokenHolder = Exclude<Caller, { kind: "none" }>;

function signature(key: Buffer, body: string): Buffer {
  return keyedDigest(key, "token", body);
}

export function mintRegistryToken(key: Buffer, holder: TokenHolder, now = Date.now(), ttlSeconds = TOKEN_TTL_SECONDS): string {
  const subject = holder.kind === "learner" ? holder.name : ANONYMOUS;
  const body = `${subject}.${Math.floor(now / 1000) + ttlSeconds}`;
  return `${body}.${signature(key, body).toString("base64url")}`;
}

/** The token's holder, or undefined when it is forged, malformed or expired. */
export function readRegistryToken(key: Buffer, token: string, now = Date.now()): TokenHolder | undefined {
  const [subject, expiry, presented, ...rest] = token.split(".");
  if (subject === undefined || expiry === undefined || presented === undefined || rest.length > 0) return undefined;
  const expected = signature(key, `${subject}.${expiry}`);
  const given = Buffer.from(presented, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  if (!/^\d+$/.test(expiry) || Number(expiry) * 1000 <= now) return undefined;
  if (subject === ANONYMOUS) return { kind: "anonymous" };
  return isLearnerName(subject) ? { kind: "learner", name: subject } : undefined;
}
