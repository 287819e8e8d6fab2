import { checkPassword } from "./credentials";
import type { Caller } from "./rules";
import { readRegistryToken } from "./tokens";

export type Authentication = { ok: true; caller: Caller } | { ok: false; message: string; user?: string };

/**
 * Who sent a request, from its Authorization header: nobody (no header), a
 * learner (Basic with their password, or a token), or the anonymous holder
 * of a token. Credentials that are presented but wrong are refused, never
 * treated as anonymous: `docker login` must fail on a wrong password.
 */
export function authenticate(key: Buffer, header: string | undefined, now = Date.now()): Authentication {
  if (!header) return { ok: true, caller: { kind: "none" } };
  const [scheme = "", value = ""] = header.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const user = colon >= 0 ? decoded.slice(0, colon) : decoded;
    const password = colon >= 0 ? decoded.slice(colon + 1) : "";
    if (checkPassword(key, user, password)) return { ok: true, caller: { kind: "learner", name: user } };
    return { ok: false, message: "Wrong user name or password: use $DRYDOCK_USER and $DRYDOCK_PASSWORD.", user };
  }
  if (scheme.toLowerCase() === "bearer") {
    const holder = readRegistryToken(key, value, now);
    if (holder) return { ok: true, caller: holder };
    return { ok: false, message: "The registry token is invalid or has expired; log in again." };
  }
  return { ok: false, message: `Unsupported authorization scheme "${scheme}": use Basic or Bearer.` };
}
