import { type JWTPayload, SignJWT, UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import { mintToken, verifyToken } from "./token";

const secret = "s".repeat(40);
const other = "o".repeat(40);
const now = Date.UTC(2026, 0, 1);
const seconds = now / 1000;

/** A JWT signed with the right secret, with claims the minter would never write. */
function signed(claims: JWTPayload): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(secret));
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

describe("tokens", () => {
  it("accepts a token for its own sandbox within its lifetime", async () => {
    const token = await mintToken(secret, { sub: "sbx_1", rights: "write" }, 60, now);
    const check = await verifyToken(secret, token, { sandboxId: "sbx_1", needs: "write" }, now + 59_000);
    expect(check).toEqual({ ok: true, claims: { sub: "sbx_1", rights: "write", exp: seconds + 60 } });
  });

  it("is a JWT signed with HS256, for Drydock, naming the sandbox", async () => {
    const [header, payload] = (await mintToken(secret, { sub: "sbx_1", rights: "read" }, 60, now)).split(".");
    expect(JSON.parse(Buffer.from(header ?? "", "base64url").toString())).toEqual({ alg: "HS256" });
    expect(JSON.parse(Buffer.from(payload ?? "", "base64url").toString())).toEqual({
      sub: "sbx_1",
      rights: "read",
      aud: "drydock",
      iat: seconds,
      exp: seconds + 60,
    });
  });

  it.each([
    ["missing", async () => undefined],
    ["missing", async () => ""],
    ["malformed", async () => "no-dot-here"],
    ["malformed", async () => "a.b.c"],
    ["forged", () => mintToken(other, { sub: "sbx_1", rights: "write" }, 60, now)],
    [
      "forged",
      async () =>
        new UnsecuredJWT({ rights: "write" })
          .setSubject("sbx_1")
          .setAudience("drydock")
          .setExpirationTime(seconds + 60)
          .encode(),
    ],
    ["malformed", () => signed({ sub: "sbx_1", rights: "write", aud: "someone-else", exp: seconds + 60 })],
    ["malformed", () => signed({ sub: "sbx_1", rights: "everything", aud: "drydock", exp: seconds + 60 })],
    ["malformed", () => signed({ sub: "sbx_1", rights: "write", aud: "drydock" })],
  ])("refuses a %s token (case %#)", async (reason, token) => {
    const check = await verifyToken(secret, await token(), { sandboxId: "sbx_1", needs: "write" }, now);
    expect(check).toMatchObject({ ok: false, reason });
  });

  it("refuses a token whose claims were edited", async () => {
    const token = await mintToken(secret, { sub: "sbx_1", rights: "read" }, 60, now);
    const [header, , signature] = token.split(".");
    const edited = base64url({ sub: "sbx_1", rights: "write", aud: "drydock", iat: seconds, exp: seconds + 60 });
    const check = await verifyToken(secret, `${header}.${edited}.${signature}`, { sandboxId: "sbx_1", needs: "write" }, now);
    expect(check).toMatchObject({ reason: "forged" });
  });

  it("refuses an expired token", async () => {
    const token = await mintToken(secret, { sub: "sbx_1", rights: "write" }, 60, now);
    expect(await verifyToken(secret, token, { sandboxId: "sbx_1", needs: "write" }, now + 60_000)).toMatchObject({ reason: "expired" });
  });

  it("refuses a token for another sandbox", async () => {
    const token = await mintToken(secret, { sub: "sbx_2", rights: "write" }, 60, now);
    expect(await verifyToken(secret, token, { sandboxId: "sbx_1", needs: "write" }, now)).toMatchObject({ reason: "wrong-sandbox" });
  });

  it("refuses a read-only token where writing is needed, and accepts manage for write", async () => {
    const read = await mintToken(secret, { sub: "sbx_1", rights: "read" }, 60, now);
    expect(await verifyToken(secret, read, { sandboxId: "sbx_1", needs: "write" }, now)).toMatchObject({ reason: "insufficient-rights" });
    const manage = await mintToken(secret, { sub: "sbx_1", rights: "manage" }, 60, now);
    expect((await verifyToken(secret, manage, { sandboxId: "sbx_1", needs: "write" }, now)).ok).toBe(true);
  });

  it("rejects a short secret with a fix in the message", async () => {
    await expect(mintToken("short", { sub: "x", rights: "read" }, 60)).rejects.toThrow(/DRYDOCK_AGENT_SECRET/);
    await expect(verifyToken("short", "a.b.c", { sandboxId: "x", needs: "read" })).rejects.toThrow(/DRYDOCK_AGENT_SECRET/);
  });
});
