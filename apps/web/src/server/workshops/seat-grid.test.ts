import { describe, expect, it } from "vitest";
import { seatGrid } from "./seat-grid";

const steps = ["a", "b", "c"].map((stepId) => ({
  key: `l/${stepId}`,
  lessonId: "l",
  stepId,
  title: stepId.toUpperCase(),
  lessonTitle: "L",
}));
const at = (minute: number) => new Date(minute * 60_000);

describe("seatGrid", () => {
  it("marks passed, current, failed and not started steps", () => {
    const grid = seatGrid(
      steps,
      [
        { lessonId: "l", stepId: "a", enteredAt: at(1), passedAt: at(3) },
        { lessonId: "l", stepId: "b", enteredAt: at(4), passedAt: null },
      ],
      new Map([
        ["l/a", 2],
        ["l/c", 1],
      ]),
    );
    expect(grid.cells["l/a"]).toMatchObject({ state: "passed", failed: 2, passedAt: at(3).toISOString() });
    expect(grid.cells["l/b"]).toMatchObject({ state: "current", failed: 0 });
    expect(grid.cells["l/c"]).toMatchObject({ state: "failed", failed: 1 });
    expect(grid.current).toEqual({ key: "l/b", title: "B", since: at(4).getTime() });
    expect(grid.passedCount).toBe(1);
    expect(grid.finished).toBe(false);
  });

  it("takes the latest shown unpassed step as current and knows when all are passed", () => {
    const records = steps.map((step, index) => ({ lessonId: "l", stepId: step.stepId, enteredAt: at(index), passedAt: at(index + 0.5) }));
    expect(seatGrid(steps, records, new Map())).toMatchObject({ current: null, passedCount: 3, finished: true });
    const back = seatGrid(
      steps,
      [
        { lessonId: "l", stepId: "c", enteredAt: at(9), passedAt: null },
        { lessonId: "l", stepId: "a", enteredAt: at(2), passedAt: null },
      ],
      new Map(),
    );
    expect(back.current?.key).toBe("l/c");
    expect(back.cells["l/a"]?.state).toBe("none");
  });
});
