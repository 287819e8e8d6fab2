import { describe, expect, it } from "vitest";
import { DisposableStore, toDisposable } from "./disposable";

describe("disposables", () => {
  it("releases once however often disposed", () => {
    let released = 0;
    const disposable = toDisposable(() => released++);
    disposable.dispose();
    disposable.dispose();
    expect(released).toBe(1);
  });

  it("a store releases what it holds, last added first, and at once what comes after", () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => order.push("first")));
    store.add(toDisposable(() => order.push("second")));
    store.dispose();
    expect(order).toEqual(["second", "first"]);
    store.add(toDisposable(() => order.push("late")));
    store.dispose();
    expect(order).toEqual(["second", "first", "late"]);
  });
});
