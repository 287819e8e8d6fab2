import { describe, expect, it } from "vitest";
import { encodeEvent, encodeHeader, parseAsciicast, parseResizeData, resizeData } from "./asciicast";

describe("asciicast v2 encoding", () => {
  it("writes events as JSON arrays, one a line, time in seconds to the microsecond", () => {
    expect(encodeEvent(1.23456789, "o", "hi\r\n")).toBe('[1.234568,"o","hi\\r\\n"]\n');
    expect(encodeEvent(0, "r", resizeData({ cols: 90, rows: 20 }))).toBe('[0,"r","90x20"]\n');
  });

  it("escapes control characters and keeps non-ASCII text as it is", () => {
    const line = encodeEvent(2, "o", '\x1b[1;31mcafé "✓"\x07');
    expect(line).toBe('[2,"o","\\u001b[1;31mcafé \\"✓\\"\\u0007"]\n');
    expect(JSON.parse(line)).toEqual([2, "o", '\x1b[1;31mcafé "✓"\x07']);
  });

  it("reads back what it writes, skipping damaged lines", () => {
    const cast = `${encodeHeader({ version: 2, width: 80, height: 24, idle_time_limit: 2 })}\n${encodeEvent(0.5, "o", "one")}not json\n[1,"x","unknown code"]\n${encodeEvent(1, "r", "100x30")}`;
    const parsed = parseAsciicast(cast);
    expect(parsed.header).toEqual({ version: 2, width: 80, height: 24, idle_time_limit: 2 });
    expect(parsed.events).toEqual([
      [0.5, "o", "one"],
      [1, "r", "100x30"],
    ]);
    expect(parsed.skippedLines).toBe(2);
  });

  it("refuses a file that is not asciicast v2, saying why", () => {
    expect(() => parseAsciicast("<html>")).toThrow(/not an asciicast recording/);
    expect(() => parseAsciicast('{"version":1,"width":80,"height":24}')).toThrow(/version 1; only version 2/);
    expect(() => parseAsciicast('{"version":2,"width":0,"height":24}')).toThrow(/no valid terminal size/);
  });

  it("reads resize data COLSxROWS, and nothing else", () => {
    expect(parseResizeData("90x20")).toEqual({ cols: 90, rows: 20 });
    expect(parseResizeData("0x20")).toBeUndefined();
    expect(parseResizeData("90 x 20")).toBeUndefined();
  });
});
