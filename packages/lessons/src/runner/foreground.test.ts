import { describe, expect, it } from "vitest";
import type { Lesson, RunBlock } from "../model";
import { parseLesson } from "../parser/lesson-parser";
import { FakeSandbox } from "../test-support/fake-sandbox";
import { checkSchedule, DEFAULT_FOREGROUND_OPTIONS, leavesForegroundBusy } from "./foreground";
import { runLesson } from "./lesson-runner";

const at = { file: "/lessons/x/steps/01-a.md", line: 3, column: 1 };
const block = (extra: Partial<RunBlock> = {}): RunBlock => ({
  kind: "run",
  command: "python app.py",
  interrupt: false,
  position: at,
  ...extra,
});

describe("when the step's check is tried while a command runs", () => {
  it("at once for a keeps-running block, after a while for any other, never without a check or with until=", () => {
    const options = { ...DEFAULT_FOREGROUND_OPTIONS, checkAfterMs: 10_000, checkEveryMs: 2_000 };
    expect(checkSchedule(block({ keepsRunning: true }), true, options)).toEqual({ firstAfterMs: 0, everyMs: 2_000 });
    expect(checkSchedule(block(), true, options)).toEqual({ firstAfterMs: 10_000, everyMs: 2_000 });
    expect(checkSchedule(block(), false, options)).toBeUndefined();
    expect(checkSchedule(block({ until: "Running on" }), true, options)).toBeUndefined();
  });

  it("leaves the foreground busy after a command left running or followed until its text", () => {
    expect(leavesForegroundBusy(block(), "left-running")).toBe(true);
    expect(leavesForegroundBusy(block({ until: "Running on" }), "finished")).toBe(true);
    expect(leavesForegroundBusy(block(), "finished")).toBe(false);
  });
});

const LESSON_MD = (intro: string) => `---
id: server-lesson
title: Server
summary: A server that never ends.
level: beginner
minutes: 2
---
Hello.
${intro}`;

const SERVE_STEP = (info: string) => `# Serve

\`\`\`run${info}
serve
\`\`\`

\`\`\`check
serving
\`\`\`
`;

const TOUCH_STEP = `# Then something else

\`\`\`run
touch made.txt
\`\`\`

\`\`\`check
made
\`\`\`
`;

function lesson(steps: Record<string, string>, intro = ""): Lesson {
  const texts = { "lesson.md": LESSON_MD(intro), ...steps };
  const parsed = parseLesson({ directory: "/lessons/server", texts, files: Object.keys(texts) });
  if (!parsed.lesson) throw new Error(parsed.problems.map((problem) => problem.message).join("\n"));
  return parsed.lesson;
}

/** `serve` starts a server that never gives the prompt back; it serves once it has printed its banner. */
function sandbox() {
  let serving = false;
  const fake = new FakeSandbox(
    {
      serve: () => {
        serving = true;
        return { output: " * Running on http://0.0.0.0:5000\r\n", keepsRunning: true };
      },
      touch: (shell, args) => {
        shell.files.set(`/root/lab/${args}`, "");
        return "";
      },
    },
    { serving: () => serving, made: (shell) => shell.files.has("/root/lab/made.txt") },
  );
  return fake;
}

const options = (foreground: { checkAfterMs: number; checkEveryMs?: number; startedQuietMs?: number }) => ({
  terminal: { quietMs: 30, pollMs: 10, commandTimeoutMs: 1_500 },
  afterCheckIntervalMs: 10,
  foreground: { checkEveryMs: 20, startedQuietMs: 100, ...foreground },
});

describe("runLesson with a command that stays in the foreground", () => {
  it("goes on once the step's check passes while it runs, and presses Ctrl-C before the next command", async () => {
    const fake = sandbox();
    const steps = { "steps/01-serve.md": SERVE_STEP(""), "steps/02-then.md": TOUCH_STEP };
    const result = await runLesson(lesson(steps), fake, options({ checkAfterMs: 50 }));
    expect(result.steps.map((step) => [step.stepId, step.before?.passed, step.after?.passed, step.verdict])).toEqual([
      ["serve", false, true, "passed"],
      ["then", false, true, "passed"],
    ]);
    expect(fake.typed).toEqual(["serve\r", "\x03", "touch made.txt\r"]);
  });

  it("tries the check at once for a keeps-running block, without waiting for the command to end", async () => {
    const fake = sandbox();
    // checkAfterMs is far beyond the line's time limit: only keeps-running lets the runner go on.
    const result = await runLesson(lesson({ "steps/01-serve.md": SERVE_STEP(" keeps-running") }), fake, options({ checkAfterMs: 60_000 }));
    expect(result.passed).toBe(true);
  });

  it("without keeps-running and with the check tried too late, still times out on the line (the old behaviour)", async () => {
    const result = await runLesson(lesson({ "steps/01-serve.md": SERVE_STEP("") }), sandbox(), options({ checkAfterMs: 60_000 }));
    expect(result.passed).toBe(false);
    expect(result.steps[0]?.problem).toMatch(/^Performing the step failed: Waited 2 s for `serve` to finish/);
  });

  it("fails a keeps-running block whose check never passes, saying so", async () => {
    const never = SERVE_STEP(" keeps-running timeout=1").replace("serving\n```", "made\n```");
    const result = await runLesson(lesson({ "steps/01-serve.md": never }), sandbox(), options({ checkAfterMs: 50 }));
    expect(result.steps[0]?.problem).toBe(
      "Performing the step failed: Waited 1 s for the step's check to pass while `serve` kept running.",
    );
  });

  it("waits for a command that more blocks follow, even when the check passes meanwhile: they need the terminal", async () => {
    const serveThenTouch = SERVE_STEP("").replace("```check", "```run\ntouch made.txt\n```\n\n```check");
    const result = await runLesson(lesson({ "steps/01-serve.md": serveThenTouch }), sandbox(), options({ checkAfterMs: 50 }));
    expect(result.steps[0]?.problem).toMatch(/^Performing the step failed: Waited 2 s for `serve` to finish/);
  });

  it("does not leave a command running while it still prints: an install at work ends by itself", async () => {
    let ticker: NodeJS.Timeout | undefined;
    let installed = false;
    const fake = new FakeSandbox(
      {
        install: (shell) => {
          installed = true;
          ticker = setInterval(() => shell.emit("Setting up...\r\n"), 30);
          return { output: "Unpacking...\r\n", keepsRunning: true };
        },
      },
      { installed: () => installed },
    );
    const step = "# Install\n\n```run\ninstall\n```\n\n```check\ninstalled\n```\n";
    try {
      const result = await runLesson(lesson({ "steps/01-install.md": step }), fake, options({ checkAfterMs: 50 }));
      expect(result.steps[0]?.problem).toMatch(/^Performing the step failed: Waited 2 s for `install` to finish/);
    } finally {
      clearInterval(ticker);
    }
  });

  it("on a page without a check, goes on once a keeps-running command's output has settled", async () => {
    const fake = sandbox();
    const intro = "\n```run keeps-running\nserve\n```\n";
    const result = await runLesson(lesson({ "steps/01-then.md": TOUCH_STEP }, intro), fake, options({ checkAfterMs: 50 }));
    expect(result.passed).toBe(true);
    expect(fake.typed).toEqual(["serve\r", "\x03", "touch made.txt\r"]);
  });
});
