import { createHmac, randomBytes } from "node:crypto";
import { mintToken, verifyToken } from "@drydock/server-kit";

/**
 * Who may see a preview. Drydock's main origin checks that the visitor owns
 * the session and hands the browser a one-time grant for one preview host;
 * the preview host trades it for an httpOnly cookie of its own, which every
 * later request and WebSocket upgrade must carry.
 *
 * Both are the protocol's signed tokens under a key derived from the agent
 * secret, with subjects that name the preview host, so neither can pass for
 * an agent token, nor serve on another preview host.
 */
export const PREVIEW_COOKIE = "drydock_preview";
export const PREVIEW_COOKIE_TTL_SECONDS = 8 * 60 * 60;
/** Reserved on every preview host: where a grant is traded for the cookie. */
export const GRANT_PATH = "/__drydock/grant";
const GRANT_TTL_SECONDS = 60;

function previewKey(secret: string): string {
  return createHmac("sha256", secret).update("drydock preview access v1").digest("base64url");
}

export interface Grant {
  token: string;
  /** Makes each grant single-use; bound to the token by its signature. */
  nonce: string;
}

export async function mintGrant(secret: string, hostname: string, now = Date.now()): Promise<Grant> {
  const nonce = randomBytes(12).toString("base64url");
  return {
    token: await mintToken(previewKey(secret), { sub: `grant ${hostname} ${nonce}`, rights: "read" }, GRANT_TTL_SECONDS, now),
    nonce,
  };
}

/**
 * Nonces of grants already traded, kept until the grant would have expired
 * anyway: in this process for one web node, in Redis for several
 * (nodes/redis-spent-grants.ts), so a grant is traded once on any node.
 */
export interface SpentGrants {
  /** True the first time a nonce is spent, false ever after (until `expiresAt`, when its grant is dead anyway). */
  spend(nonce: string, expiresAt: number, now: number): Promise<boolean>;
}

/** One process's memory: enough for one web node, since a grant is used right after it is made. */
export class SpentGrantsInMemory implements SpentGrants {
  private readonly used = new Map<string, number>();

  async spend(nonce: string, expiresAt: number, now: number): Promise<boolean> {
    if (this.used.has(nonce)) return false;
    for (const [spent, until] of this.used) if (until <= now) this.used.delete(spent);
    this.used.set(nonce, expiresAt);
    return true;
  }
}

export class GrantLedger {
  constructor(
    private readonly secret: string,
    private readonly spent: SpentGrants = new SpentGrantsInMemory(),
  ) {}

  /** True once per valid grant for this host; false for a forged, expired, foreign or replayed one. */
  async redeem(hostname: string, grant: { token: unknown; nonce: unknown }, now = Date.now()): Promise<boolean> {
    if (typeof grant.nonce !== "string" || grant.nonce.length === 0) return false;
    const check = await verifyToken(
      previewKey(this.secret),
      grant.token,
      { sandboxId: `grant ${hostname} ${grant.nonce}`, needs: "read" },
      now,
    );
    return check.ok && (await this.spent.spend(grant.nonce, check.claims.exp * 1000, now));
  }
}

export function mintPreviewCookie(secret: string, hostname: string, now = Date.now()): Promise<string> {
  return mintToken(previewKey(secret), { sub: `preview ${hostname}`, rights: "read" }, PREVIEW_COOKIE_TTL_SECONDS, now);
}

/** The Set-Cookie value: host-only (no Domain), so it belongs to this preview host alone. */
export function previewCookieHeader(value: string): string {
  return `${PREVIEW_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${PREVIEW_COOKIE_TTL_SECONDS}`;
}

/** Whether any preview cookie in the header is valid for this host (a page may have set look-alikes). */
export async function hasPreviewAccess(
  secret: string,
  hostname: string,
  cookieHeader: string | undefined,
  now = Date.now(),
): Promise<boolean> {
  const key = previewKey(secret);
  const checks = await Promise.all(
    cookieValues(cookieHeader, PREVIEW_COOKIE).map((value) =>
      verifyToken(key, value, { sandboxId: `preview ${hostname}`, needs: "read" }, now),
    ),
  );
  return checks.some((check) => check.ok);
}

/** The Cookie header without Drydock's preview cookie: the learner's app never sees it. */
export function withoutPreviewCookie(cookieHeader: string | undefined): string | undefined {
  const kept = (cookieHeader ?? "")
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part.length > 0 && part.split("=")[0]?.trim() !== PREVIEW_COOKIE);
  return kept.length > 0 ? kept.join("; ") : undefined;
}

function cookieValues(header: string | undefined, name: string): string[] {
  return (header ?? "")
    .split(";")
    .map((part) => part.trim().split("="))
    .filter(([key]) => key?.trim() === name)
    .map(([, ...value]) => value.join("="));
}
