import { describe, expect, it } from "vitest";
import { ConsumedOutput } from "./consumed-output";
import { OUTPUT_LOW_WATER_BYTES, OUTPUT_REPORT_BYTES } from "./terminal";

describe("ConsumedOutput", () => {
  it("reports nothing for a keystroke's echo, and everything consumed once the report size is reached", () => {
    const reports: number[] = [];
    const output = new ConsumedOutput((bytes) => reports.push(bytes), 100);
    for (let i = 0; i < 99; i += 1) output.consumed(1);
    expect(reports).toEqual([]);
    output.consumed(30);
    expect(reports).toEqual([129]);
    output.consumed(100);
    expect(reports).toEqual([129, 100]);
  });

  it("reports at most the low water mark late, so a paused sender always hears enough to resume", () => {
    expect(OUTPUT_REPORT_BYTES).toBeLessThanOrEqual(OUTPUT_LOW_WATER_BYTES);
  });
});
