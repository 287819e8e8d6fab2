import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Short-lived signed tokens: the web app mints them, agents verify them.
 * Format: base64url(JSON claims) "." base64url(HMAC-SHA256(claims part)).
 * A shared secret is enough while one operator runs both sides; the format
 * leaves room for asymmetric keys when agents live on other people's machines.
 */

export type Right = "write" | "read" | "manage";

export interface TokenClaims {
  /** The sandbox the token is for, or "*" for control-plane calls. */
  sub: string;
  rights: Right;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export type TokenRefusal = "missing" | "malformed" | "forged" | "expired" | "wrong-sandbox" | "insufficient-rights";

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: TokenRefusal; message: string };

const MIN_SECRET_LENGTH = 32;

function assertSecret(secret: string): void {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(
      `Token secret is ${secret.length} characters; at least ${MIN_SECRET_LENGTH} are required. ` +
        "Set DRYDOCK_AGENT_SECRET to a long random value (npm start generates one in .drydock/agent-secret).",
    );
  }
}

function signature(secret: string, body: string): Buffer {
  return createHmac("sha256", secret).update(body).digest();
}

export function mintToken(secret: string, claims: Omit<TokenClaims, "exp">, ttlSeconds: number, now = Date.now()): string {
  assertSecret(secret);
  const full: TokenClaims = { ...claims, exp: Math.floor(now / 1000) + ttlSeconds };
  const body = Buffer.from(JSON.stringify(full)).toString("base64url");
  return `${body}.${signature(secret, body).toString("base64url")}`;
}

function refuse(reason: TokenRefusal, message: string): TokenCheck {
  return { ok: false, reason, message };
}

function parseClaims(body: string): TokenClaims | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    if (typeof value !== "object" || value === null) return undefined;
    const { sub, rights, exp } = value as Record<string, unknown>;
    if (typeof sub !== "string" || typeof exp !== "number") return undefined;
    if (rights !== "write" && rights !== "read" && rights !== "manage") return undefined;
    return { sub, rights, exp };
  } catch {
    return undefined;
  }
}

const RIGHT_RANK: Record<Right, number> = { read: 0, write: 1, manage: 2 };

export interface TokenExpectation {
  /** The sandbox the caller wants to reach; "*" for control-plane calls. */
  sandboxId: string;
  /** The least right the operation needs. */
  needs: Right;
}

export function verifyToken(secret: string, token: unknown, expected: TokenExpectation, now = Date.now()): TokenCheck {
  assertSecret(secret);
  if (typeof token !== "string" || token.length === 0) return refuse("missing", "No token was presented.");
  const parts = token.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return refuse("malformed", "The token is not of the form claims.signature.");
  const [body, presented] = parts as [string, string];
  const expectedSignature = signature(secret, body);
  const presentedSignature = Buffer.from(presented, "base64url");
  if (presentedSignature.length !== expectedSignature.length || !timingSafeEqual(presentedSignature, expectedSignature)) {
    return refuse("forged", "The token's signature does not match.");
  }
  const claims = parseClaims(body);
  if (!claims) return refuse("malformed", "The token's claims are not valid.");
  if (claims.exp * 1000 <= now) return refuse("expired", "The token has expired; ask the web app for a new one.");
  if (claims.sub !== expected.sandboxId) return refuse("wrong-sandbox", "The token was issued for another sandbox.");
  if (RIGHT_RANK[claims.rights] < RIGHT_RANK[expected.needs]) {
    return refuse("insufficient-rights", `The token grants "${claims.rights}" but "${expected.needs}" is needed.`);
  }
  return { ok: true, claims };
}
