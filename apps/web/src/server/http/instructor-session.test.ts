import { describe, expect, it } from "vitest";
import { safeReturnPath } from "./instructor-session";

describe("safeReturnPath", () => {
  it("returns to a path of this site only", () => {
    expect(safeReturnPath("/instructor/workshops/wks_1")).toBe("/instructor/workshops/wks_1");
    expect(safeReturnPath(undefined)).toBe("/instructor");
    expect(safeReturnPath("https://evil.example/")).toBe("/instructor");
    expect(safeReturnPath("//evil.example/")).toBe("/instructor");
    expect(safeReturnPath("/\\evil.example/")).toBe("/instructor");
  });
});
