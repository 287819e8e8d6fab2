import { describe, expect, it } from "vitest";
import { JOIN_CODE_ALPHABET, newJoinCode, newRejoinCode, normaliseJoinCode, normaliseRejoinCode } from "./join-code";

describe("join codes", () => {
  it("has 32 unambiguous characters", () => {
    expect(new Set(JOIN_CODE_ALPHABET).size).toBe(32);
    for (const lookalike of "0O1I") expect(JOIN_CODE_ALPHABET).not.toContain(lookalike);
  });

  it("makes 6 characters of the alphabet, each byte picking one evenly", () => {
    expect(newJoinCode(() => Uint8Array.from([0, 31, 32, 63, 255, 8]))).toBe("A9A99J");
    for (let i = 0; i < 200; i++) expect(newJoinCode()).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
  });

  it("reads a typed code regardless of case, spaces and dashes, and refuses anything else", () => {
    expect(normaliseJoinCode(" abc-def ")).toBe("ABCDEF");
    expect(normaliseJoinCode("ab cd 23")).toBe("ABCD23");
    expect(normaliseJoinCode("ABCDE")).toBeUndefined();
    expect(normaliseJoinCode("ABCDEFG")).toBeUndefined();
    expect(normaliseJoinCode("ABCDE0")).toBeUndefined();
    expect(normaliseJoinCode("ABCDEI")).toBeUndefined();
  });

  it("makes 10-character rejoin codes of the same alphabet, read the same way", () => {
    const code = newRejoinCode();
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{10}$/);
    expect(normaliseRejoinCode(` ${code.slice(0, 5).toLowerCase()}-${code.slice(5)} `)).toBe(code);
    expect(normaliseRejoinCode(code.slice(0, 6))).toBeUndefined();
  });
});
