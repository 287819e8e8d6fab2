import { describe, expect, it } from "vitest";
import { inputFrame, parseAnswer, relayToken, requestLine, resizeFrame } from "./relay-protocol";

describe("the terminal relay's wire", () => {
  it("frames input with its kind and length, so any bytes pass (a paste holding newlines or NULs)", () => {
    const frame = inputFrame(Buffer.from("a\n\0b"));
    expect([...frame]).toEqual([0x64, 0, 0, 0, 4, 0x61, 0x0a, 0x00, 0x62]);
  });

  it("frames a resize as columns then rows, two bytes each", () => {
    expect([...resizeFrame({ cols: 300, rows: 40 })]).toEqual([0x72, 0, 0, 0, 4, 0x01, 0x2c, 0x00, 0x28]);
  });

  it("gives every sandbox its own token, which depends on the engine's key", () => {
    const key = Buffer.alloc(32, 1);
    expect(relayToken(key, "sbx_a")).toMatch(/^[0-9a-f]{64}$/);
    expect(relayToken(key, "sbx_a")).toBe(relayToken(key, "sbx_a"));
    expect(relayToken(key, "sbx_a")).not.toBe(relayToken(key, "sbx_b"));
    expect(relayToken(Buffer.alloc(32, 2), "sbx_a")).not.toBe(relayToken(key, "sbx_a"));
  });

  it("sends the request as one JSON line, even when an argument holds a newline", () => {
    const line = requestLine({ token: "t", argv: ["bash", "-c", "a\nb"], env: [], cwd: "/", cols: 80, rows: 24 }).toString("utf8");
    expect(line.indexOf("\n")).toBe(line.length - 1);
    expect(JSON.parse(line).argv).toEqual(["bash", "-c", "a\nb"]);
  });

  it("reads the relay's answers", () => {
    expect(parseAnswer("ok")).toEqual({ kind: "ok" });
    expect(parseAnswer("unauthorized")).toEqual({ kind: "unauthorized" });
    expect(parseAnswer("error: the request line is too long")).toEqual({ kind: "error", reason: "the request line is too long" });
    expect(parseAnswer("")).toEqual({ kind: "error", reason: "the relay answered nothing" });
  });
});
