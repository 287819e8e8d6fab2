import { describe, expect, it } from "vitest";
import { percentile, summarize } from "./stats";

describe("percentile", () => {
  it("takes the nearest rank", () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile([7], 95)).toBe(7);
  });

  it("refuses an empty list", () => {
    expect(() => percentile([], 50)).toThrow(/no samples/);
  });
});

describe("summarize", () => {
  it("names each percentile and rounds to two decimals", () => {
    expect(summarize([3.456, 1, 2, 10], 50, 95)).toEqual({ p50: 2, p95: 10 });
    expect(summarize([1.23456], 99)).toEqual({ p99: 1.23 });
  });
});
