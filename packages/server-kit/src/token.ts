import { errors, jwtVerify, SignJWT } from "jose";

/**
 * Short-lived signed tokens: the web app mints them, agents verify them.
 * A JWT (jose) signed with HS256 under a shared secret: `sub` names the
 * sandbox (or "*" for the control plane), `rights` what the holder may do,
 * `exp` when it stops working, `aud` that it is Drydock's. A shared secret is
 * enough while one operator runs both sides; JWT leaves room for asymmetric
 * keys when agents live on other people's machines.
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
const ALGORITHM = "HS256";
/** A JWT signed with the same secret for some other purpose does not pass for one of these. */
const AUDIENCE = "drydock";

function keyOf(secret: string): Uint8Array {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(
      `Token secret is ${secret.length} characters; at least ${MIN_SECRET_LENGTH} are required. ` +
        "Set DRYDOCK_AGENT_SECRET to a long random value (npm start generates one in .drydock/agent-secret).",
    );
  }
  return new TextEncoder().encode(secret);
}

export async function mintToken(secret: string, claims: Omit<TokenClaims, "exp">, ttlSeconds: number, now = Date.now()): Promise<string> {
  const key = keyOf(secret);
  const issuedAt = Math.floor(now / 1000);
  return new SignJWT({ rights: claims.rights })
    .setProtectedHeader({ alg: ALGORITHM })
    .setSubject(claims.sub)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(key);
}

function refuse(reason: TokenRefusal, message: string): TokenCheck {
  return { ok: false, reason, message };
}

const RIGHT_RANK: Record<Right, number> = { read: 0, write: 1, manage: 2 };

function isRight(value: unknown): value is Right {
  return typeof value === "string" && Object.hasOwn(RIGHT_RANK, value);
}

export interface TokenExpectation {
  /** The sandbox the caller wants to reach; "*" for control-plane calls. */
  sandboxId: string;
  /** The least right the operation needs. */
  needs: Right;
}

/** Why jose refused a token, in the terms callers answer with. */
function refusalOf(error: unknown): TokenCheck {
  if (error instanceof errors.JWTExpired) return refuse("expired", "The token has expired; ask the web app for a new one.");
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JOSEAlgNotAllowed) {
    return refuse("forged", "The token's signature does not match.");
  }
  if (error instanceof errors.JOSEError) return refuse("malformed", `The token is not valid: ${error.message}`);
  throw error;
}

export async function verifyToken(secret: string, token: unknown, expected: TokenExpectation, now = Date.now()): Promise<TokenCheck> {
  const key = keyOf(secret);
  if (typeof token !== "string" || token.length === 0) return refuse("missing", "No token was presented.");
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [ALGORITHM],
      audience: AUDIENCE,
      requiredClaims: ["sub", "exp"],
      currentDate: new Date(now),
    }));
  } catch (error) {
    return refusalOf(error);
  }
  const { sub, rights, exp } = payload;
  if (typeof sub !== "string" || typeof exp !== "number" || !isRight(rights))
    return refuse("malformed", "The token's claims are not valid.");
  if (sub !== expected.sandboxId) return refuse("wrong-sandbox", "The token was issued for another sandbox.");
  if (RIGHT_RANK[rights] < RIGHT_RANK[expected.needs]) {
    return refuse("insufficient-rights", `The token grants "${rights}" but "${expected.needs}" is needed.`);
  }
  return { ok: true, claims: { sub, rights, exp } };
}
