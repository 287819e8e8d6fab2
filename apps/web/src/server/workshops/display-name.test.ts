import { describe, expect, it } from "vitest";
import { checkDisplayName, sameDisplayName } from "./display-name";

describe("checkDisplayName", () => {
  it("collapses spaces and trims", () => {
    expect(checkDisplayName("  Ada \t Lovelace ")).toEqual({ ok: true, name: "Ada Lovelace" });
  });

  it("keeps markup as text to be escaped where shown", () => {
    expect(checkDisplayName("<b>Bo</b>")).toEqual({ ok: true, name: "<b>Bo</b>" });
  });

  it("removes control and invisible formatting characters", () => {
    expect(checkDisplayName("E\u0007v\u202Ee\u200B")).toEqual({ ok: true, name: "Eve" });
  });

  it("refuses empty, missing and over-long names with the fix", () => {
    expect(checkDisplayName("   ")).toMatchObject({ ok: false, message: expect.stringContaining("Enter the name") });
    expect(checkDisplayName(undefined)).toMatchObject({ ok: false });
    const long = checkDisplayName("x".repeat(41));
    expect(long).toMatchObject({ ok: false, message: expect.stringContaining("at most 40 characters; yours has 41") });
    expect(checkDisplayName("é".repeat(40))).toMatchObject({ ok: true });
  });
});

describe("sameDisplayName", () => {
  it("ignores case and accents", () => {
    expect(sameDisplayName("Zoë", "zoe")).toBe(true);
    expect(sameDisplayName("Ann", "Anna")).toBe(false);
  });
});
