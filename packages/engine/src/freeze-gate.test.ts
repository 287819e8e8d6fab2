import { describe, expect, it } from "vitest";
import { FreezeGate } from "./freeze-gate";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("a sandbox's freeze gate", () => {
  it("starts a pause only once the exec starts under way have left, and holds new starts until it is done", async () => {
    const gate = new FreezeGate();
    const events: string[] = [];
    const leaveFirst = await gate.enter();
    let finishPause: () => void = () => {};
    const pausing = gate.freeze(async () => {
      events.push("pause begins");
      await new Promise<void>((resolve) => {
        finishPause = resolve;
      });
      events.push("pause ends");
    });
    const second = gate.enter().then((leave) => {
      events.push("second start enters");
      return leave;
    });
    await tick();
    expect(events).toEqual([]);

    leaveFirst();
    await tick();
    expect(events).toEqual(["pause begins"]);

    finishPause();
    await pausing;
    (await second)();
    expect(events).toEqual(["pause begins", "pause ends", "second start enters"]);
  });

  it("runs pauses one after the other, a failed one included, and counts a start that leaves twice once", async () => {
    const gate = new FreezeGate();
    const leave = await gate.enter();
    leave();
    leave();
    const order: string[] = [];
    const failing = gate.freeze(async () => {
      order.push("first");
      throw new Error("unable to freeze");
    });
    const next = gate.freeze(async () => {
      order.push("second");
      return "resumed";
    });
    await expect(failing).rejects.toThrow("unable to freeze");
    expect(await next).toBe("resumed");
    expect(order).toEqual(["first", "second"]);
    (await gate.enter())();
  });
});
