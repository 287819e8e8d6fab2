import { describe, expect, it } from "vitest";
import { checkCommand, DEFAULT_CHECK_OPTIONS, interpretCheck } from "./checks";

const run = (exitCode: number, stdout = "", stderr = "", truncated = false) => ({ exitCode, stdout, stderr, truncated });

describe("interpreting a check", () => {
  it("passes on exit 0, even with FAIL-looking text", () => {
    expect(interpretCheck(run(0, "FAIL: not really\n"), DEFAULT_CHECK_OPTIONS, 5)).toMatchObject({
      passed: true,
      message: "Passed",
      durationMs: 5,
    });
  });

  it("takes the reason from the FAIL: lines, in order", () => {
    const result = interpretCheck(
      run(1, "checking\nFAIL: no image named ourfiglet\nFAIL:   run docker image tag first  \n"),
      DEFAULT_CHECK_OPTIONS,
      9,
    );
    expect(result.passed).toBe(false);
    expect(result.message).toBe("no image named ourfiglet\nrun docker image tag first");
  });

  it("gives a generic reason when the script said nothing", () => {
    expect(interpretCheck(run(3, "", "oops"), DEFAULT_CHECK_OPTIONS, 1)).toMatchObject({
      passed: false,
      message: "The check failed (exit code 3).",
      output: "oops",
    });
  });

  it("reports a timeout as a timeout", () => {
    expect(interpretCheck(run(124), { timeoutMs: 10_000, maxOutputBytes: 10 }, 10_000).message).toBe(
      "The check did not finish within 10 s.",
    );
  });

  it("says when output was cut", () => {
    expect(interpretCheck(run(0, "x".repeat(10), "", true), { timeoutMs: 1000, maxOutputBytes: 10 }, 1).output).toMatch(
      /truncated at 10 bytes/,
    );
  });

  it("limits the script with coreutils timeout, rounding up to whole seconds", () => {
    expect(checkCommand(1500)).toEqual(["timeout", "--kill-after=2", "2", "bash", "-s"]);
  });
});
