import { BUILT_IN_LESSONS_DIR, formatRunTable, loadLessons } from "@drydock/lessons";
import { createLogger } from "@drydock/server-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunnerEnvironment, runLessonBothWays, startRunnerEnvironment } from "./lessons";

/**
 * Every built-in lesson, end to end on real sandboxes, through the same
 * runner and wiring as `npm run lessons -- test`, in both passes: each step
 * performed as written, then (on a fresh sandbox of the same learner, whose
 * registry keeps what the first pass pushed) performed its variant's way;
 * each time its check must fail before the step and pass after it. About
 * three minutes in all.
 */
const { lessons, problems } = await loadLessons(BUILT_IN_LESSONS_DIR);
const log = createLogger("lessons-test", () => {});

describe("the built-in lessons on real sandboxes", () => {
  let environment: RunnerEnvironment;

  beforeAll(async () => {
    environment = await startRunnerEnvironment(log);
  });

  afterAll(async () => {
    const left = await environment.driver.list();
    await environment.close();
    expect(left).toEqual([]);
  });

  it("are valid", () => {
    expect(problems).toEqual([]);
    expect(lessons.map((lesson) => lesson.id)).toEqual(["commit-a-container", "dockerfile-layers", "flask-pizza"]);
  });

  for (const lesson of lessons) {
    it(`${lesson.id}: every step's check fails before the step and passes after it, as written and as its variant`, {
      timeout: 600_000,
    }, async () => {
      // Under the test's own limit, so a stuck command fails with the runner's report and the terminal's lines.
      const results = await runLessonBothWays(environment, lesson, log, { terminal: { commandTimeoutMs: 120_000 } });
      const table = results
        .map((result) => `${formatRunTable([result])}\n${result.transcript.split("\n").slice(-60).join("\n")}`)
        .join("\n");
      expect(
        results.map((result) => [result.way, result.passed]),
        table,
      ).toEqual([
        ["as-written", true],
        ["variant", true],
      ]);
      for (const result of results) {
        expect(
          result.steps.map((step) => [step.stepId, step.performedAs, step.before?.passed, step.performed, step.after?.passed]),
          table,
        ).toEqual(lesson.steps.map((step) => [step.id, result.way, false, true, true]));
      }
    });
  }
});
