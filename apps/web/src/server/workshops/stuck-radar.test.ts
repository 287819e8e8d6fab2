import { describe, expect, it } from "vitest";
import { roomMedians, type SeatSignals, stuckReasons } from "./stuck-radar";

const MINUTE = 60_000;
const now = 1_000 * MINUTE;
const calm: SeatSignals = { current: null, checksOnStep: [], commands: [], activeAt: now, finished: false };
const at = (minutesAgo: number) => now - minutesAgo * MINUTE;

describe("stuckReasons", () => {
  it("says nothing of an attendee at work", () => {
    const seat: SeatSignals = {
      ...calm,
      current: { key: "l/s1", title: "Build", since: at(3) },
      commands: [
        { exitCode: 1, command: "ls nope", at: at(2) },
        { exitCode: 0, command: "ls", at: at(1) },
      ],
    };
    expect(stuckReasons(seat, new Map([["l/s1", 4 * MINUTE]]), now)).toEqual([]);
  });

  it("names failed builds in a row and their span", () => {
    const commands = [4, 3, 1].map((ago) => ({ exitCode: 1, command: "docker build -t hello .", at: at(ago) }));
    expect(stuckReasons({ ...calm, commands }, new Map(), now)).toEqual([{ reason: "3 failed builds in 4 min (last exit 1)" }]);
  });

  it("does not count Ctrl-C, failures before a success, or old failures", () => {
    const commands = [
      { exitCode: 1, command: "false", at: at(30) },
      { exitCode: 1, command: "false", at: at(29) },
      { exitCode: 1, command: "false", at: at(5) },
      { exitCode: 0, command: "true", at: at(4) },
      { exitCode: 130, command: "sleep 9", at: at(3) },
      { exitCode: 2, command: "ls x", at: at(2) },
    ];
    expect(stuckReasons({ ...calm, commands }, new Map(), now)).toEqual([]);
  });

  it("flags consecutive failed checks on the step", () => {
    const checksOnStep = [
      { passed: false, at: at(6) },
      { passed: false, at: at(4) },
      { passed: false, at: at(2) },
    ];
    expect(stuckReasons({ ...calm, checksOnStep }, new Map(), now)).toEqual([{ reason: "3 failed checks in 6 min" }]);
  });

  it("compares time on the step with the room's median", () => {
    const seat = { ...calm, current: { key: "l/s2", title: "Push", since: at(12) } };
    expect(stuckReasons(seat, new Map([["l/s2", 4 * MINUTE]]), now)).toEqual([{ reason: '12 min on "Push"; the room\'s median is 4 min' }]);
    expect(stuckReasons(seat, new Map([["l/s2", 7 * MINUTE]]), now)).toEqual([]);
    expect(stuckReasons(seat, new Map(), now)).toEqual([]);
  });

  it("flags a long idle, but nothing once every step is passed", () => {
    expect(stuckReasons({ ...calm, activeAt: at(11) }, new Map(), now)).toEqual([{ reason: "idle for 11 min" }]);
    expect(stuckReasons({ ...calm, activeAt: at(11), finished: true }, new Map(), now)).toEqual([]);
  });
});

describe("roomMedians", () => {
  it("takes the median of each step with two or more durations", () => {
    const medians = roomMedians(
      new Map([
        ["a", [3, 1, 2]],
        ["b", [4, 2]],
        ["c", [9]],
      ]),
    );
    expect([...medians]).toEqual([
      ["a", 2],
      ["b", 3],
    ]);
  });
});
