import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const script = join(import.meta.dirname, "test-summary.mjs");
const dirs: string[] = [];

function results(reports: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "drydock-summary-"));
  dirs.push(dir);
  for (const [name, report] of Object.entries(reports)) writeFileSync(join(dir, name), JSON.stringify(report));
  return dir;
}

function summarise(dir: string, failedStages: string[] = []): { lines: string[]; status: number | null } {
  const run = spawnSync(process.execPath, [script, dir, ...failedStages], { encoding: "utf8" });
  return { lines: run.stdout.trimEnd().split("\n"), status: run.status };
}

function vitestReport(
  files: { name: string; status: string; message?: string; tests: { fullName: string; status: string; failureMessages?: string[] }[] }[],
) {
  const tests = files.flatMap((file) => file.tests);
  return {
    numPassedTests: tests.filter((test) => test.status === "passed").length,
    numFailedTests: tests.filter((test) => test.status === "failed").length,
    testResults: files.map((file) => ({
      name: join(process.cwd(), file.name),
      status: file.status,
      message: file.message ?? "",
      assertionResults: file.tests.map((test) => ({ ...test, failureMessages: test.failureMessages ?? [] })),
    })),
  };
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the test summary", () => {
  it("ends with the counts and exits 0 when everything passed", () => {
    const dir = results({
      "unit.json": vitestReport([{ name: "a.test.ts", status: "passed", tests: [{ fullName: "a works", status: "passed" }] }]),
      "e2e.json": { stats: { expected: 2, flaky: 1, unexpected: 0 }, suites: [], errors: [] },
    });
    expect(summarise(dir)).toEqual({ lines: ["4 passed, 0 failed"], status: 0 });
  });

  it("names each failed test, a file whose hook failed, and a failed browser test above the counts", () => {
    const dir = results({
      "integration.json": vitestReport([
        {
          name: "apps/x.integration.test.ts",
          status: "failed",
          tests: [
            { fullName: "x boots", status: "passed" },
            { fullName: "x answers", status: "failed", failureMessages: ["AssertionError: expected 1 to be 2\n    at stack"] },
          ],
        },
        { name: "apps/y.integration.test.ts", status: "failed", message: "Hook timed out in 180000ms", tests: [] },
      ]),
      "e2e.json": {
        stats: { expected: 1, flaky: 0, unexpected: 1 },
        errors: [],
        suites: [
          {
            title: "room.spec.ts",
            specs: [],
            suites: [
              {
                title: "a room",
                specs: [
                  { title: "pauses", tests: [{ status: "unexpected", results: [{ errors: [{ message: "Error: timed out\nmore" }] }] }] },
                ],
              },
            ],
          },
        ],
      },
    });
    expect(summarise(dir)).toEqual({
      lines: [
        "failed:",
        "  integration: apps/x.integration.test.ts › x answers: AssertionError: expected 1 to be 2",
        "  integration: apps/y.integration.test.ts: Hook timed out in 180000ms",
        "  e2e: room.spec.ts › a room › pauses: Error: timed out",
        "2 passed, 2 failed",
      ],
      status: 1,
    });
  });

  it("counts a stage that failed with no failed test to show (no report, or an error outside any test), so a broken run never ends with 0 failed", () => {
    const dir = results({
      "unit.json": vitestReport([{ name: "a.test.ts", status: "passed", tests: [{ fullName: "a", status: "passed" }] }]),
    });
    expect(summarise(dir, ["lint", "unit"])).toEqual({
      lines: [
        "failed:",
        '  stage "lint" failed outside any test: its log above says why (an unhandled error, a crash)',
        '  stage "unit" failed outside any test: its log above says why (an unhandled error, a crash)',
        "1 passed, 2 failed",
      ],
      status: 1,
    });
  });
});
