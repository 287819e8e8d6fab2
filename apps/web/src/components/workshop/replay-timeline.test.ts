import { describe, expect, it } from "vitest";
import { batchFrames, formatClock, framesDue, replayTimeline } from "./replay-timeline";

const header = { version: 2 as const, width: 80, height: 24 };

describe("the replay timeline", () => {
  it("caps every pause at the idle time limit (2 s unless the header says)", () => {
    const timeline = replayTimeline({
      header,
      events: [
        [0.5, "o", "a"],
        [1.5, "o", "b"],
        [61.5, "o", "c"],
        [62, "o", "d"],
      ],
      skippedLines: 0,
    });
    expect(timeline.frames.map((frame) => frame.at)).toEqual([0.5, 1.5, 3.5, 4]);
    expect(timeline.duration).toBe(4);
    const tighter = replayTimeline({ header: { ...header, idle_time_limit: 0.5 }, events: [[10, "o", "a"]], skippedLines: 0 });
    expect(tighter.duration).toBe(0.5);
  });

  it("keeps output and resizes, and leaves input and markers out", () => {
    const { frames } = replayTimeline({
      header,
      events: [
        [0, "i", "typed"],
        [0, "o", "shown"],
        [1, "r", "100x30"],
        [1, "r", "garbage"],
        [1, "m", "chapter"],
      ],
      skippedLines: 0,
    });
    expect(frames).toEqual([
      { at: 0, kind: "output", data: "shown" },
      { at: 1, kind: "resize", cols: 100, rows: 30 },
    ]);
  });

  it("finds the frames due at a time, those at the time included", () => {
    const { frames } = replayTimeline({
      header,
      events: [0, 1, 1, 2, 3].map((time) => [time, "o", String(time)] as [number, "o", string]),
      skippedLines: 0,
    });
    expect(framesDue(frames, -1)).toBe(0);
    expect(framesDue(frames, 0)).toBe(1);
    expect(framesDue(frames, 1)).toBe(3);
    expect(framesDue(frames, 2.5)).toBe(4);
    expect(framesDue(frames, 99)).toBe(5);
  });

  it("joins consecutive outputs, keeping resizes in their place", () => {
    expect(
      batchFrames([
        { at: 0, kind: "output", data: "a" },
        { at: 1, kind: "output", data: "b" },
        { at: 1, kind: "resize", cols: 90, rows: 20 },
        { at: 2, kind: "output", data: "c" },
      ]),
    ).toEqual([
      { at: 0, kind: "output", data: "ab" },
      { at: 1, kind: "resize", cols: 90, rows: 20 },
      { at: 2, kind: "output", data: "c" },
    ]);
  });

  it("shows the clock as m:ss, or h:mm:ss past an hour", () => {
    expect(formatClock(0)).toBe("0:00");
    expect(formatClock(75.9)).toBe("1:15");
    expect(formatClock(3723)).toBe("1:02:03");
  });
});
