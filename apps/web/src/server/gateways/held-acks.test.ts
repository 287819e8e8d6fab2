import { describe, expect, it } from "vitest";
import { HeldAcks } from "./held-acks";

describe("HeldAcks", () => {
  it("acks each chunk once the page's reports cover it, oldest first", () => {
    const acked: string[] = [];
    const acks = new HeldAcks();
    acks.hold(10, () => acked.push("a"));
    acks.hold(20, () => acked.push("b"));
    acks.hold(5, () => acked.push("c"));
    acks.consumed(9);
    expect(acked).toEqual([]);
    acks.consumed(1);
    expect(acked).toEqual(["a"]);
    acks.consumed(25);
    expect(acked).toEqual(["a", "b", "c"]);
  });

  it("keeps no credit beyond what was held, so a later chunk waits for its own report", () => {
    const acked: string[] = [];
    const acks = new HeldAcks();
    acks.hold(10, () => acked.push("a"));
    acks.consumed(50);
    acks.hold(10, () => acked.push("b"));
    expect(acked).toEqual(["a"]);
    acks.consumed(10);
    expect(acked).toEqual(["a", "b"]);
  });
});
