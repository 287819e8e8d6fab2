import { describe, expect, it } from "vitest";
import { backoffMs } from "./backoff";

describe("backoff", () => {
  it("doubles from the first delay and stops at the most", () => {
    const delays = [0, 1, 2, 3, 6, 7, 50].map((failures) => backoffMs(failures, { firstMs: 1000, maxMs: 60_000 }));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 60_000, 60_000, 60_000]);
  });
});
