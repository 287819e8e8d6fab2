import { describe, expect, it } from "vitest";
import { isVisitorId, newVisitorId, visitorFromCookieHeader } from "./visitor";

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
});
