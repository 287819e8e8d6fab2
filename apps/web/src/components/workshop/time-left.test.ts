import { describe, expect, it } from "vitest";
import { dueWarning, timeLeftText } from "./time-left";

const MINUTE = 60_000;

describe("time left", () => {
  it("reads as minutes, hours, or up", () => {
    expect(timeLeftText(42 * MINUTE, 0)).toBe("42 min left");
    expect(timeLeftText(65 * MINUTE, 0)).toBe("1 h 5 min left");
    expect(timeLeftText(0, 1)).toBe("time is up");
  });

  it("warns at 10 and 2 minutes before the end", () => {
    expect(dueWarning(11 * MINUTE, 0)).toBeNull();
    expect(dueWarning(9 * MINUTE, 0)).toBe(10);
    expect(dueWarning(1.5 * MINUTE, 0)).toBe(2);
    expect(dueWarning(0, 1)).toBeNull();
  });
});
