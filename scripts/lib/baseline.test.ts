import { describe, expect, it } from "vitest";
import { baselineReport, ratios, startBaseline } from "./baseline";

describe("baselineReport", () => {
  it("gives the p50 over all samples and each phase's own p50, to four significant digits", () => {
    const report = baselineReport({
      run: [
        { phase: "before", ms: 300.123 },
        { phase: "before", ms: 310 },
        { phase: "before", ms: 320 },
        { phase: "after", ms: 900 },
        { phase: "after", ms: 1000 },
        { phase: "after", ms: 1100 },
      ],
      echo: [{ phase: "before", ms: 0.123456 }],
    });
    expect(report).toEqual({
      run: { p50: 320, samples: 6, before: 310, after: 1000 },
      // Four significant digits: a fraction of a millisecond keeps its precision.
      echo: { p50: 0.1235, samples: 1, before: 0.1235 },
    });
  });

  it("leaves out a kind with no samples", () => {
    expect(baselineReport({ run: [], exec: [{ phase: "after", ms: 40 }] })).toEqual({ exec: { p50: 40, samples: 1, after: 40 } });
  });
});

describe("ratios", () => {
  it("divides each time of a figure by the baseline's p50", () => {
    expect(ratios({ p50: 660, p95: 990 }, { p50: 300, samples: 10 })).toEqual({ p50: 2.2, p95: 3.3 });
  });

  it("gives the same ratios on a machine where Docker is slower by the same factor", () => {
    const here = ratios({ p50: 660, p95: 7400 }, { p50: 300, samples: 10 });
    const there = ratios({ p50: 660 * 3.5, p95: 7400 * 3.5 }, { p50: 300 * 3.5, samples: 10 });
    expect(there).toEqual(here);
  });

  it("refuses a missing or zero baseline", () => {
    expect(() => ratios({ p50: 1 }, undefined)).toThrow(/no baseline of this kind/);
    expect(() => ratios({ p50: 1 }, { p50: 0, samples: 1 })).toThrow(/cannot divide/);
  });
});

describe("startBaseline", () => {
  it("refuses a phase named like a key of the report", async () => {
    // No samples asked for: nothing touches Docker.
    const baseline = await startBaseline({ fleet: "unit", samples: {} });
    await expect(baseline.measure("p50")).rejects.toThrow(/key of the report/);
    await expect(baseline.measure("samples")).rejects.toThrow(/key of the report/);
    await baseline.close();
  });
});
