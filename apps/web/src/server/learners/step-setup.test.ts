import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseLesson } from "@drydock/lessons";
import type { CheckOutcome, CheckRequest } from "@drydock/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { ALREADY_RAN, runStepSetups, setupOnce, stepSetupRequests } from "./step-setup";

let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

/** Runs a request's script the way the sandbox runs a check (bash reading it from stdin), here with a scratch folder for marks. */
function runHere(request: CheckRequest): CheckOutcome {
  try {
    const stdout = execFileSync("bash", ["-s"], { input: request.script, encoding: "utf8", cwd: scratch });
    return { passed: true, message: "Passed", output: stdout, durationMs: 1 };
  } catch (error) {
    const failed = error as { status: number; stdout: string };
    const reasons = failed.stdout.split("\n").filter((line) => line.startsWith("FAIL:"));
    const message =
      reasons.length > 0 ? reasons.map((line) => line.slice(5).trim()).join("\n") : `The check failed (exit code ${failed.status}).`;
    return { passed: false, message, output: failed.stdout, durationMs: 1 };
  }
}

describe("a step's setup runs once per sandbox", () => {
  it("runs the script the first time only, and says so", async () => {
    scratch = mkdtempSync(join(tmpdir(), "drydock-setup-"));
    const marks = join(scratch, "marks");
    const request = setupOnce("demo--one--0", "echo ran >> count.txt\ncat <<'EOF' >note.txt\nkept $HOME\nEOF", 10_000, marks);
    expect(await runStepSetups([request], async (r) => runHere(r))).toEqual({ ran: true, passed: true, message: "" });
    expect(await runStepSetups([request], async (r) => runHere(r))).toEqual({ ran: false, passed: true, message: "" });
    expect(readFileSync(join(scratch, "count.txt"), "utf8")).toBe("ran\n");
    expect(readFileSync(join(scratch, "note.txt"), "utf8")).toBe("kept $HOME\n");
    expect(runHere(request).output).toContain(ALREADY_RAN);
  });

  it("reports a failure with the script's FAIL: lines and runs it again next time", async () => {
    scratch = mkdtempSync(join(tmpdir(), "drydock-setup-"));
    const marks = join(scratch, "marks");
    const request = setupOnce("demo--one--0", 'echo try >> tries.txt\necho "FAIL: the archive is unreachable"\nexit 3', 10_000, marks);
    const outcome = await runStepSetups([request], async (r) => runHere(r));
    expect(outcome).toEqual({ ran: true, passed: false, message: "the archive is unreachable" });
    await runStepSetups([request], async (r) => runHere(r));
    expect(readFileSync(join(scratch, "tries.txt"), "utf8")).toBe("try\ntry\n");
  });

  it("stops a setup at its time limit and says so", async () => {
    scratch = mkdtempSync(join(tmpdir(), "drydock-setup-"));
    const request = setupOnce("demo--slow--0", "sleep 30", 1_000, join(scratch, "marks"));
    expect(request.timeoutMs).toBe(6_000);
    expect(await runStepSetups([request], async (r) => runHere(r))).toEqual({
      ran: true,
      passed: false,
      message: "it did not finish within 1 s.",
    });
  });
});

describe("stepSetupRequests", () => {
  it("has one request per setup block of the opened step, none for a step without one or an unknown step", () => {
    const texts = {
      "lesson.md": "---\nid: demo\ntitle: Demo\nsummary: S.\nlevel: beginner\nminutes: 5\n---\nHi.\n",
      "steps/01-one.md": "# One\n\n```setup timeout=7\ntouch a\n```\n\n```run\ntrue\n```\n\n```check\ntrue\n```\n",
      "steps/02-two.md": "# Two\n\n```run\ntrue\n```\n\n```check\ntrue\n```\n",
    };
    const { lesson } = parseLesson({ directory: "/lessons/demo", texts, files: Object.keys(texts) });
    if (!lesson) throw new Error("the test lesson does not parse");
    const [request] = stepSetupRequests(lesson, "one");
    expect(request?.timeoutMs).toBe(12_000);
    expect(request?.script).toContain("/run/drydock/setups/demo--one--0");
    expect(stepSetupRequests(lesson, "two")).toEqual([]);
    expect(stepSetupRequests(lesson, "nope")).toEqual([]);
  });
});
