import { describe, expect, it } from "vitest";
import { age, formatSize, layerHeightRem, layerHue } from "./layer-format";

describe("formatSize", () => {
  it.each([
    [0, "0B"],
    [4, "4B"],
    [999, "999B"],
    [8_190, "8.19kB"],
    [74_349_222, "74.3MB"],
    [1_200_000_000, "1.2GB"],
    [-5, "0B"],
  ])("%d bytes → %s", (bytes, expected) => {
    expect(formatSize(bytes)).toBe(expected);
  });
});

describe("layerHue", () => {
  it("is stable for one layer and differs between layers", () => {
    expect(layerHue("sha256:abc")).toBe(layerHue("sha256:abc"));
    expect(layerHue("sha256:abc")).not.toBe(layerHue("sha256:abd"));
    // Never in the reds and oranges that read as errors.
    for (const id of ["sha256:abc", "sha256:abd", "sha256:0fd04209", "sha256:b80fe590", "x"]) {
      expect(layerHue(id) < 30 || layerHue(id) > 340).toBe(false);
    }
  });
});

describe("layerHeightRem", () => {
  it("grows with size, within bounds", () => {
    expect(layerHeightRem(0)).toBe(2);
    expect(layerHeightRem(4)).toBeLessThan(layerHeightRem(74_000_000));
    expect(layerHeightRem(1e15)).toBe(4.4);
  });
});

describe("age", () => {
  const now = Date.parse("2026-11-28T12:00:00Z");
  it.each([
    ["2026-11-28T11:59:30Z", "just now"],
    ["2026-11-28T11:55:00Z", "5 minutes ago"],
    ["2026-11-28T11:00:00Z", "1 hour ago"],
    ["2026-11-25T12:00:00Z", "3 days ago"],
    ["not a date", "at an unknown time"],
  ])("%s → %s", (iso, expected) => {
    expect(age(iso, now)).toBe(expected);
  });
});
