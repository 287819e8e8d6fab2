import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ChangeBatcher, mergeChange, WORKSPACE_CHANGED } from "./coalesce";
import type { FileChange } from "./sandbox-files";

const change = (path: string, kind: FileChange["kind"], type: FileChange["type"] = "file"): FileChange => ({ path, kind, type });

describe("coalescing changes to one path", () => {
  it.each([
    ["created", "changed", "created"],
    ["created", "deleted", undefined],
    ["changed", "changed", "changed"],
    ["changed", "deleted", "deleted"],
    ["changed", "created", "changed"],
    ["deleted", "created", "changed"],
    ["deleted", "deleted", "deleted"],
  ] as const)("%s then %s is %s", (first, second, net) => {
    expect(mergeChange(change("a", first), change("a", second))?.kind).toBe(net);
  });

  it("keeps the latest type (a folder replaced by a file)", () => {
    expect(mergeChange(change("a", "deleted", "dir"), change("a", "created", "file"))).toEqual(change("a", "changed", "file"));
  });
});

describe("batching", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends a burst as one batch once it goes quiet", () => {
    const batches: FileChange[][] = [];
    const batcher = new ChangeBatcher((batch) => batches.push(batch), { quietMs: 50, maxDelayMs: 250, maxBatch: 100 });
    batcher.add([change("a", "created")]);
    vi.advanceTimersByTime(20);
    batcher.add([change("a", "changed"), change(".tmp", "created")]);
    batcher.add([change(".tmp", "deleted")]);
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(batches).toEqual([[change("a", "created")]]);
  });

  it("does not hold a steady stream of changes longer than maxDelayMs", () => {
    const batches: FileChange[][] = [];
    const batcher = new ChangeBatcher((batch) => batches.push(batch), { quietMs: 50, maxDelayMs: 250, maxBatch: 100 });
    for (let i = 0; i < 10; i++) {
      batcher.add([change("log", "changed")]);
      vi.advanceTimersByTime(30);
    }
    expect(batches).toEqual([[change("log", "changed")]]);
    vi.advanceTimersByTime(50);
    expect(batches).toHaveLength(2);
  });

  it("turns a huge batch into one 'list the workspace again'", () => {
    const batches: FileChange[][] = [];
    const batcher = new ChangeBatcher((batch) => batches.push(batch), { quietMs: 10, maxDelayMs: 100, maxBatch: 3 });
    batcher.add(["a", "b", "c", "d"].map((path) => change(path, "created")));
    vi.advanceTimersByTime(10);
    expect(batches).toEqual([[WORKSPACE_CHANGED]]);
  });

  it("sends nothing after dispose", () => {
    const emit = vi.fn();
    const batcher = new ChangeBatcher(emit);
    batcher.add([change("a", "created")]);
    batcher.dispose();
    vi.advanceTimersByTime(1000);
    expect(emit).not.toHaveBeenCalled();
  });
});
