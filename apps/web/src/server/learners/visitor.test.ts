import { describe, expect, it } from "vitest";
import { isVisitorId, newVisitorId, publicVisitorId, visitorFromCookieHeader } from "./visitor";

describe("visitor cookie", () => {
  it("makes ids it recognises, and they differ", () => {
    const a = newVisitorId();
    expect(isVisitorId(a)).toBe(true);
    expect(newVisitorId()).not.toBe(a);
  });

  it("finds the visitor among other cookies", () => {
    const id = newVisitorId();
    expect(visitorFromCookieHeader(`theme=dark; drydock_visitor=${id}; other=1`)).toBe(id);
  });

  it("ignores a missing header, a missing cookie and a forged value", () => {
    expect(visitorFromCookieHeader(undefined)).toBeUndefined();
    expect(visitorFromCookieHeader("theme=dark")).toBeUndefined();
    expect(visitorFromCookieHeader("drydock_visitor=../../etc/passwd")).toBeUndefined();
  });

  it("shows others a stable name that does not reveal the cookie", () => {
    const id = newVisitorId();
    expect(publicVisitorId(id)).toBe(publicVisitorId(id));
    expect(publicVisitorId(id)).not.toContain(id.slice(4));
    expect(publicVisitorId(id)).not.toBe(publicVisitorId(newVisitorId()));
  });
});
