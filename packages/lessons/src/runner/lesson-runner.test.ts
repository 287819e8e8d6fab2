import { describe, expect, it } from "vitest";
import type { Lesson } from "../model";
import { parseLesson } from "../parser/lesson-parser";
import { FakeSandbox } from "../test-support/fake-sandbox";
import { runLesson } from "./lesson-runner";
import { formatRunTable } from "./run-table";

const LESSON_MD = `---
id: fake-lesson
title: Fake
summary: A lesson for the fake sandbox.
level: beginner
minutes: 2
files:
  - notes.txt
---
Hello.
`;

function lesson(steps: Record<string, string>): Lesson {
  const texts = { "lesson.md": LESSON_MD, ...steps };
  const parsed = parseLesson({ directory: "/lessons/fake", texts, files: [...Object.keys(texts), "files/notes.txt"] });
  if (!parsed.lesson) throw new Error(parsed.problems.map((problem) => problem.message).join("\n"));
  return parsed.lesson;
}

const TOUCH_STEP = `# Make a file

\`\`\`run
touch made.txt
\`\`\`

\`\`\`check
made
\`\`\`
`;

const WRITE_STEP = `# Write code

\`\`\`\`solution
\`\`\`file path=app.py
print("hi")
\`\`\`
\`\`\`file path=app.py append
print("again")
\`\`\`
\`\`\`\`

\`\`\`check
written
\`\`\`
`;

const VARIANT_STEP = `${TOUCH_STEP}
\`\`\`\`variant
\`\`\`file path=made.txt
made in the editor
\`\`\`
\`\`\`\`
`;

function sandbox() {
  return new FakeSandbox(
    {
      touch: (shell, args) => {
        shell.files.set(`/root/lab/${args}`, "");
        return "";
      },
    },
    {
      made: (shell) => shell.files.has("/root/lab/made.txt"),
      written: (shell) => shell.files.get("/root/lab/app.py") === 'print("hi")\nprint("again")\n',
      always: () => true,
      "leave-last-weeks-file": (shell) => {
        shell.files.set("/root/lab/made.txt", "last week");
        return true;
      },
      never: () => false,
    },
  );
}

const options = {
  terminal: { quietMs: 30, pollMs: 10, commandTimeoutMs: 2000 },
  afterCheckIntervalMs: 10,
  readLessonFile: async () => new TextEncoder().encode("placed\n"),
};

describe("runLesson", () => {
  it("places the files, proves each check fails before and passes after, typing and writing like a learner", async () => {
    const fake = sandbox();
    const result = await runLesson(lesson({ "steps/01-make-a-file.md": TOUCH_STEP, "steps/02-write-code.md": WRITE_STEP }), fake, options);
    expect(result.passed).toBe(true);
    expect(result.steps.map((step) => [step.stepId, step.before?.passed, step.performed, step.after?.passed, step.verdict])).toEqual([
      ["make-a-file", false, true, true, "passed"],
      ["write-code", false, true, true, "passed"],
    ]);
    expect(fake.files.get("/root/lab/notes.txt")).toBe("placed\n");
    expect(fake.typed).toEqual(["touch made.txt\r"]);
  });

  it("fails a step whose check passes before it is performed, and skips the rest", async () => {
    const vacuous = TOUCH_STEP.replace("made\n```", "always\n```");
    const result = await runLesson(
      lesson({ "steps/01-make-a-file.md": vacuous, "steps/02-write-code.md": WRITE_STEP }),
      sandbox(),
      options,
    );
    expect(result.passed).toBe(false);
    expect(result.steps.map((step) => step.verdict)).toEqual(["failed", "skipped"]);
    expect(result.steps[0]?.problem).toBe(
      "The check passed before the step was performed: it would pass without the learner doing anything.",
    );
  });

  it("fails a step whose check still fails after it, with the check's reason and the terminal", async () => {
    const broken = TOUCH_STEP.replace("made\n```", "never\n```");
    const result = await runLesson(lesson({ "steps/01-make-a-file.md": broken }), sandbox(), options);
    expect(result.steps[0]?.problem).toBe("The check still fails after the step: never is not done");
    expect(result.steps[0]?.transcript).toContain("touch made.txt");
    const table = formatRunTable([result]);
    expect(table).toContain("fake-lesson  as-written  1  make-a-file  failed (ok)   yes        failed (BAD)");
    expect(table).toContain("FAILURES\nfake-lesson / make-a-file: The check still fails after the step: never is not done");
    expect(table.split("\n").at(-1)).toBe("0 passed, 1 failed");
  });
});

describe("runLesson's second pass", () => {
  it("performs each step's variant instead of its blocks, and a step without one as written", async () => {
    const fake = sandbox();
    const result = await runLesson(lesson({ "steps/01-make-a-file.md": VARIANT_STEP, "steps/02-write-code.md": WRITE_STEP }), fake, {
      ...options,
      way: "variant",
    });
    expect(result.way).toBe("variant");
    expect(result.passed).toBe(true);
    expect(result.steps.map((step) => [step.stepId, step.performedAs, step.before?.passed, step.after?.passed])).toEqual([
      ["make-a-file", "variant", false, true],
      ["write-code", "as-written", false, true],
    ]);
    expect(fake.typed).toEqual([]);
    expect(fake.files.get("/root/lab/made.txt")).toBe("made in the editor\n");
    const table = formatRunTable([result]);
    expect(table).toContain("fake-lesson  variant  1  make-a-file  failed (ok)   yes               passed (ok)");
    expect(table).toContain("fake-lesson  variant  2  write-code   failed (ok)   yes (as written)  passed (ok)");
  });

  it("runs the variant's setup before the check, and fails the step when that state passes the check", async () => {
    const stale = VARIANT_STEP.replace("````variant\n", "````variant\n```setup\nleave-last-weeks-file\n```\n");
    const result = await runLesson(lesson({ "steps/01-make-a-file.md": stale }), sandbox(), { ...options, way: "variant" });
    expect(result.steps[0]?.problem).toBe(
      "The check passed before the step was performed (from the state the variant's setup made, which a learner may already have): it would pass without the learner doing anything.",
    );
  });

  it("performs the blocks as written in the first pass, ignoring the variant", async () => {
    const fake = sandbox();
    const result = await runLesson(lesson({ "steps/01-make-a-file.md": VARIANT_STEP }), fake, options);
    expect(result.way).toBe("as-written");
    expect(result.steps[0]?.performedAs).toBe("as-written");
    expect(fake.typed).toEqual(["touch made.txt\r"]);
  });
});
