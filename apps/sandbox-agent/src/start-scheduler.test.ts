import { describe, expect, it, vi } from "vitest";
import type { QueuePlace } from "./start-queue";
import { machinePacing, StartScheduler } from "./start-scheduler";

/** A boot the test finishes by hand. */
function boot(name: string, log: string[]) {
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<string>((resolve, reject) => {
    finish = () => resolve(name);
    fail = reject;
  });
  return {
    task: () => {
      log.push(name);
      return done;
    },
    finish,
    fail,
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("the start scheduler", () => {
  it("runs at most its concurrency at once and lets the next one through as one ends", async () => {
    const started: string[] = [];
    const scheduler = new StartScheduler({ concurrency: 2 });
    const boots = ["a", "b", "c", "d"].map((name) => boot(name, started));
    const results = boots.map((b) => scheduler.run("pool", b.task));
    // Asserted below; handled now so the failure is not reported as unhandled in between.
    for (const result of results) result.catch(() => {});
    await settle();
    expect(started).toEqual(["a", "b"]);
    expect(scheduler.load).toEqual({ running: 2, waiting: 2 });
    boots[1]?.finish();
    await settle();
    expect(started).toEqual(["a", "b", "c"]);
    boots[0]?.fail(new Error("boot failed"));
    await settle();
    expect(started).toEqual(["a", "b", "c", "d"]);
    await expect(results[0]).rejects.toThrow("boot failed");
    await expect(results[1]).resolves.toBe("b");
    boots[2]?.finish();
    boots[3]?.finish();
    await Promise.all(results.slice(2));
    expect(scheduler.load).toEqual({ running: 0, waiting: 0 });
  });

  it("puts a learner's start ahead of waiting pool refills, behind earlier learners", async () => {
    const started: string[] = [];
    const scheduler = new StartScheduler({ concurrency: 1 });
    const first = boot("pool-1", started);
    const names = ["pool-2", "learner-1", "pool-3", "learner-2"];
    const later = names.map((name) => boot(name, started));
    void scheduler.run("pool", first.task);
    later.forEach((b, index) => {
      void scheduler.run(names[index]?.startsWith("learner") ? "learner" : "pool", b.task);
    });
    for (const b of [first, ...later]) {
      await settle();
      b.finish();
    }
    await settle();
    expect(started).toEqual(["pool-1", "learner-1", "learner-2", "pool-2", "pool-3"]);
  });

  it("tells a waiting start its place in line as the line moves, with an estimate once boots were measured", async () => {
    let clock = 0;
    const scheduler = new StartScheduler({ concurrency: 1 }, () => clock);
    const places: QueuePlace[] = [];
    const measured = boot("measured", []);
    void scheduler.run("pool", measured.task);
    clock = 4000;
    measured.finish();
    await settle();
    const running = boot("running", []);
    void scheduler.run("pool", running.task);
    clock = 5000;
    void scheduler.run("learner", boot("learner-1", []).task);
    void scheduler.run(
      "learner",
      () => Promise.resolve("learner-2"),
      (place) => places.push(place),
    );
    await settle();
    // Behind learner-1: the running boot (1 s of a typical 4 s) frees the slot in 3 s, learner-1 boots 4 s, then this one 4 s.
    expect(places).toEqual([{ position: 2, readyInMs: 11_000 }]);
    clock = 7000;
    running.finish();
    await settle();
    // learner-1 runs now and this start is next; boots took 4 s and 3 s, so a typical one 3.5 s: 3.5 s + 3.5 s.
    expect(places.at(-1)).toEqual({ position: 1, readyInMs: 7000 });
    expect(places).toHaveLength(2);
  });

  it("lets fewer boots through while a learner types, and the rest once typing has stopped for the quiet time", async () => {
    vi.useFakeTimers();
    try {
      let clock = 0;
      const started: string[] = [];
      const scheduler = new StartScheduler({ concurrency: 2, whileTyping: 1, typingQuietMs: 10_000 }, () => clock);
      scheduler.learnerTyped();
      const boots = ["a", "b", "c"].map((name) => boot(name, started));
      for (const b of boots.slice(0, 2)) void scheduler.run("learner", b.task);
      await vi.advanceTimersByTimeAsync(0);
      expect(started).toEqual(["a"]);
      expect(scheduler.concurrency).toBe(1);
      // Another keystroke at 6 s: quiet from 16 s on, not 10 s.
      clock = 6000;
      scheduler.learnerTyped();
      clock = 10_000;
      await vi.advanceTimersByTimeAsync(10_000);
      expect(started).toEqual(["a"]);
      clock = 16_000;
      await vi.advanceTimersByTimeAsync(6000);
      expect(started).toEqual(["a", "b"]);
      expect(scheduler.concurrency).toBe(2);
      // Typing again: the next boot waits until one of the two running ends and another, one at a time.
      scheduler.learnerTyped();
      void scheduler.run("pool", boots[2]?.task ?? (() => Promise.resolve("")));
      boots[0]?.finish();
      await vi.advanceTimersByTimeAsync(0);
      expect(started).toEqual(["a", "b"]);
      boots[1]?.finish();
      await vi.advanceTimersByTimeAsync(0);
      expect(started).toEqual(["a", "b", "c"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("boots at full speed while a learner types when a crowd waits, to its last, and makes way again once the line is empty", async () => {
    const started: string[] = [];
    const scheduler = new StartScheduler({ concurrency: 2, whileTyping: 1 });
    scheduler.learnerTyped();
    const boots = ["a", "b", "c", "d", "e", "f"].map((name) => boot(name, started));
    for (const b of boots.slice(0, 5)) void scheduler.run("learner", b.task);
    await settle();
    // Five waiting, more than two: both places are used.
    expect(started).toEqual(["a", "b"]);
    for (const [index, next] of [
      [0, "c"],
      [1, "d"],
      [2, "e"],
    ] as const) {
      boots[index]?.finish();
      await settle();
      // Each freed place goes to the next in line, the crowd's last ones too.
      expect(started.at(-1)).toBe(next);
    }
    boots[3]?.finish();
    boots[4]?.finish();
    await settle();
    void scheduler.run("learner", boots[5]?.task ?? (() => Promise.resolve("")));
    await settle();
    expect(started.at(-1)).toBe("f");
    // The line emptied: a start now, with one boot running, waits for it.
    const late = boot("late", started);
    void scheduler.run("learner", late.task);
    await settle();
    expect(started.at(-1)).toBe("f");
    boots[5]?.finish();
    await settle();
    expect(started.at(-1)).toBe("late");
  });

  it("never lets more boots through while learners type than otherwise", async () => {
    const started: string[] = [];
    const scheduler = new StartScheduler({ concurrency: 1, whileTyping: 4 });
    scheduler.learnerTyped();
    for (const name of ["a", "b"]) void scheduler.run("pool", boot(name, started).task);
    await settle();
    expect(started).toEqual(["a"]);
  });

  it("refuses a concurrency that is not a positive whole number", () => {
    expect(() => new StartScheduler({ concurrency: 0 })).toThrow(/start concurrency must be .* ≥ 1/);
    expect(() => new StartScheduler({ concurrency: 2, whileTyping: 0 })).toThrow(/while learners type must be .* ≥ 1/);
  });

  it("takes half the cores, at least one, for boots while learners type", () => {
    expect(machinePacing(2)).toEqual({ concurrency: 2, whileTyping: 1 });
    expect(machinePacing(1)).toEqual({ concurrency: 1, whileTyping: 1 });
    expect(machinePacing(16)).toEqual({ concurrency: 16, whileTyping: 8 });
  });
});
