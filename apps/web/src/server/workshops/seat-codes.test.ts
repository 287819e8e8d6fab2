import { describe, expect, it } from "vitest";
import { normalizeCode, randomCode, UNAMBIGUOUS_ALPHABET } from "./seat-codes";

describe("seat codes", () => {
  it("draws only unambiguous characters", () => {
    const code = randomCode(200);
    expect(code).toHaveLength(200);
    expect([...code].every((char) => UNAMBIGUOUS_ALPHABET.includes(char))).toBe(true);
    expect(code).not.toMatch(/[01OIL]/);
  });

  it("reads a code however it was typed", () => {
    expect(normalizeCode(" k7q m-p2 ")).toBe("K7QMP2");
  });
});
