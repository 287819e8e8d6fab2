import { describe, expect, it } from "vitest";
import { allowedTransitions, isDeletable, isEditable, transitionRefusal, WORKSHOP_STATES } from "./workshop-states";

const empty = { joinedAttendees: 0 };

describe("workshop state transitions", () => {
  it("goes forward draft → open → running → ended", () => {
    expect(transitionRefusal("draft", "open", empty)).toBeUndefined();
    expect(transitionRefusal("open", "running", empty)).toBeUndefined();
    expect(transitionRefusal("running", "ended", empty)).toBeUndefined();
  });

  it("may end early or go back to draft while nobody joined", () => {
    expect(transitionRefusal("draft", "ended", empty)).toBeUndefined();
    expect(transitionRefusal("open", "ended", empty)).toBeUndefined();
    expect(transitionRefusal("open", "draft", empty)).toBeUndefined();
    expect(transitionRefusal("open", "draft", { joinedAttendees: 2 })).toMatch(/2 attendee\(s\) joined already/);
  });

  it("refuses skipping ahead, going back from running, leaving ended and standing still, saying what is possible", () => {
    expect(transitionRefusal("draft", "running", empty)).toBe(
      "A draft workshop cannot become running; from draft it can become open or ended.",
    );
    expect(transitionRefusal("running", "open", empty)).toMatch(/from running it can become ended/);
    expect(transitionRefusal("running", "draft", empty)).toMatch(/cannot become draft/);
    expect(transitionRefusal("ended", "open", empty)).toMatch(/stays ended/);
    expect(transitionRefusal("open", "open", empty)).toBe("The workshop is open already.");
  });

  it("offers exactly the allowed moves", () => {
    expect(allowedTransitions("draft", empty)).toEqual(["open", "ended"]);
    expect(allowedTransitions("open", empty)).toEqual(["running", "draft", "ended"]);
    expect(allowedTransitions("open", { joinedAttendees: 1 })).toEqual(["running", "ended"]);
    expect(allowedTransitions("running", empty)).toEqual(["ended"]);
    expect(allowedTransitions("ended", empty)).toEqual([]);
  });

  it("edits before running and deletes only a draft or an ended workshop", () => {
    expect(WORKSHOP_STATES.filter(isEditable)).toEqual(["draft", "open"]);
    expect(WORKSHOP_STATES.filter(isDeletable)).toEqual(["draft", "ended"]);
  });
});
