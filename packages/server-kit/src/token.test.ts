import { describe, expect, it } from "vitest";
import { mintToken, verifyToken } from "./token";

const secret = "s".repeat(40);
const other = "o".repeat(40);
const now = Date.UTC(2026, 0, 1);

describe("tokens", () => {
  it("accepts a token for its own sandbox within its lifetime", () => {
    const token = mintToken(secret, { sub: "sbx_1", rights: "write" }, 60, now);
    const check = verifyToken(secret, token, { sandboxId: "sbx_1", needs: "write" }, now + 59_000);
    expect(check).toEqual({ ok: true, claims: { sub: "sbx_1", rights: "write", exp: now / 1000 + 60 } });
  });

  it.each([
    ["missing", undefined],
    ["missing", ""],
    ["malformed", "no-dot-here"],
    ["malformed", "a.b.c"],
    ["forged", mintToken(other, { sub: "sbx_1", rights: "write" }, 60, now)],
  ])("refuses a %s token", (reason, token) => {
    const check = verifyToken(secret, token, { sandboxId: "sbx_1", needs: "write" }, now);
    expect(check).toMatchObject({ ok: false, reason });
  });

  it("refuses a token whose claims were edited", () => {
    const token = mintToken(secret, { sub: "sbx_1", rights: "read" }, 60, now);
    const [, sig] = token.split(".");
    const edited = Buffer.from(JSON.stringify({ sub: "sbx_1", rights: "write", exp: now / 1000 + 60 })).toString("base64url");
    expect(verifyToken(secret, `${edited}.${sig}`, { sandboxId: "sbx_1", needs: "write" }, now)).toMatchObject({ reason: "forged" });
  });

  it("refuses an expired token", () => {
    const token = mintToken(secret, { sub: "sbx_1", rights: "write" }, 60, now);
    expect(verifyToken(secret, token, { sandboxId: "sbx_1", needs: "write" }, now + 60_000)).toMatchObject({ reason: "expired" });
  });

  it("refuses a token for another sandbox", () => {
    const token = mintToken(secret, { sub: "sbx_2", rights: "write" }, 60, now);
    expect(verifyToken(secret, token, { sandboxId: "sbx_1", needs: "write" }, now)).toMatchObject({ reason: "wrong-sandbox" });
  });

  it("refuses a read-only token where writing is needed, and accepts manage for write", () => {
    const read = mintToken(secret, { sub: "sbx_1", rights: "read" }, 60, now);
    expect(verifyToken(secret, read, { sandboxId: "sbx_1", needs: "write" }, now)).toMatchObject({ reason: "insufficient-rights" });
    const manage = mintToken(secret, { sub: "sbx_1", rights: "manage" }, 60, now);
    expect(verifyToken(secret, manage, { sandboxId: "sbx_1", needs: "write" }, now).ok).toBe(true);
  });

  it("rejects a short secret with a fix in the message", () => {
    expect(() => mintToken("short", { sub: "x", rights: "read" }, 60)).toThrow(/DRYDOCK_AGENT_SECRET/);
  });
});
