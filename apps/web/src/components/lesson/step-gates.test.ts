import { describe, expect, it } from "vitest";
import { firstClosedPage, nextClosedBecause } from "./step-gates";

const steps = [
  { id: "one", title: "One", requirePass: false },
  { id: "two", title: "Two", requirePass: true },
  { id: "three", title: "Three", requirePass: true },
];

describe("pages closed by steps that must pass", () => {
  it("closes every page after the first required step not passed yet", () => {
    expect(firstClosedPage(steps, new Set())).toEqual({ page: 3, step: steps[1] });
    expect(firstClosedPage(steps, new Set(["two"]))).toEqual({ page: 4, step: steps[2] });
    expect(firstClosedPage(steps, new Set(["two", "three"]))).toBeUndefined();
    expect(
      firstClosedPage(
        steps.map((step) => ({ ...step, requirePass: false })),
        new Set(),
      ),
    ).toBeUndefined();
  });

  it("says why Next is closed on the step that holds it, and on pages beyond", () => {
    expect(nextClosedBecause(steps, new Set(), 0)).toBeUndefined();
    expect(nextClosedBecause(steps, new Set(), 1)).toBeUndefined();
    expect(nextClosedBecause(steps, new Set(), 2)).toBe(
      "Pass this step's check to go on: this lesson asks for each of its steps to pass before the next.",
    );
    expect(nextClosedBecause(steps, new Set(), 3)).toBe('Step "Two" must pass its check first.');
    expect(nextClosedBecause(steps, new Set(["two"]), 2)).toBeUndefined();
  });
});
