import { describe, expect, it } from "vitest";
import {
  GrantLedger,
  hasPreviewAccess,
  mintGrant,
  mintPreviewCookie,
  PREVIEW_COOKIE,
  previewCookieHeader,
  withoutPreviewCookie,
} from "./preview-grant";

const secret = "unit-test-secret-".padEnd(48, "s");
const host = "8888-ses-0123456789abcdef01234567.preview.localhost";
const otherHost = "8889-ses-0123456789abcdef01234567.preview.localhost";

describe("preview grants", () => {
  it("is redeemed once, on its own host only", async () => {
    const ledger = new GrantLedger(secret);
    const grant = await mintGrant(secret, host);
    expect(await ledger.redeem(otherHost, grant)).toBe(false);
    expect(await ledger.redeem(host, grant)).toBe(true);
    expect(await ledger.redeem(host, grant)).toBe(false);
  });

  it("refuses forged, expired, mismatched and malformed grants", async () => {
    const ledger = new GrantLedger(secret);
    const grant = await mintGrant(secret, host);
    expect(await ledger.redeem(host, await mintGrant("another-secret-".padEnd(48, "z"), host))).toBe(false);
    expect(await ledger.redeem(host, { token: grant.token, nonce: "other" })).toBe(false);
    expect(await ledger.redeem(host, await mintGrant(secret, host, Date.now() - 120_000))).toBe(false);
    expect(await ledger.redeem(host, { token: undefined, nonce: grant.nonce })).toBe(false);
    expect(await ledger.redeem(host, { token: grant.token, nonce: undefined })).toBe(false);
  });
});

describe("preview cookies", () => {
  it("let their own host in, and no other", async () => {
    const value = await mintPreviewCookie(secret, host);
    expect(await hasPreviewAccess(secret, host, `a=1; ${PREVIEW_COOKIE}=${value}`)).toBe(true);
    expect(await hasPreviewAccess(secret, otherHost, `${PREVIEW_COOKIE}=${value}`)).toBe(false);
    expect(await hasPreviewAccess(secret, host, undefined)).toBe(false);
    expect(
      await hasPreviewAccess(secret, host, `${PREVIEW_COOKIE}=${await mintPreviewCookie(secret, host, Date.now() - 9 * 3600_000)}`),
    ).toBe(false);
  });

  it("cannot be made from an agent token or a grant", async () => {
    const grant = await mintGrant(secret, host);
    expect(await hasPreviewAccess(secret, host, `${PREVIEW_COOKIE}=${grant.token}`)).toBe(false);
  });

  it("finds a valid one among look-alikes a page may have set", async () => {
    const value = await mintPreviewCookie(secret, host);
    expect(await hasPreviewAccess(secret, host, `${PREVIEW_COOKIE}=junk; ${PREVIEW_COOKIE}=${value}`)).toBe(true);
  });

  it("is host-only and httpOnly", () => {
    const header = previewCookieHeader("v");
    expect(header).toContain("HttpOnly");
    expect(header).not.toMatch(/Domain=/i);
  });

  it("is removed before a request reaches the learner's app", () => {
    expect(withoutPreviewCookie(`a=1; ${PREVIEW_COOKIE}=x; b=2=3`)).toBe("a=1; b=2=3");
    expect(withoutPreviewCookie(`${PREVIEW_COOKIE}=x`)).toBeUndefined();
    expect(withoutPreviewCookie(undefined)).toBeUndefined();
  });
});
