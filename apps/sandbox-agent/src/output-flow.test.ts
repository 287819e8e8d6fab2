import { describe, expect, it } from "vitest";
import { OutputFlow } from "./output-flow";

describe("terminal output flow control", () => {
  it("pauses at the high mark and resumes only below the low mark", () => {
    const events: string[] = [];
    const flow = new OutputFlow(
      () => events.push("pause"),
      () => events.push("resume"),
      100,
      20,
    );
    flow.sent(60);
    flow.sent(50);
    expect(events).toEqual(["pause"]);
    flow.sent(10);
    flow.acknowledged(60);
    expect(events).toEqual(["pause"]);
    flow.acknowledged(40);
    expect(events).toEqual(["pause", "resume"]);
    expect(flow.pending).toBe(20);
  });

  it("never counts below zero", () => {
    const flow = new OutputFlow(
      () => {},
      () => {},
    );
    flow.acknowledged(5);
    expect(flow.pending).toBe(0);
  });
});
