"use client";

import type { CheckOutcome } from "@drydock/protocol";
import { useEffect, useRef, useState } from "react";
import type { LessonView, PageView, StepView } from "@/lesson-view/types";
import { type BlockActions, Parts } from "./Blocks";
import { firstClosedPage, nextClosedBecause } from "./step-gates";

type CheckState = { kind: "idle" } | { kind: "running" } | { kind: "done"; outcome: CheckOutcome } | { kind: "error"; message: string };

interface Props {
  lesson: LessonView;
  done: Set<string>;
  actions: BlockActions;
  /** Runs a step's check in the sandbox; undefined while there is none. */
  check?: (step: StepView) => Promise<CheckOutcome>;
  /** Told which step the page shows (null: the intro or the finish). */
  onStepShown?: (stepId: string | null) => void;
  /** Why a step's setup failed in the sandbox, by step id (empty: it did not fail). */
  setupFailures?: Record<string, string>;
}

/** The first page a returning learner needs: the intro when new, else the first step not passed yet. */
function firstPage(lesson: LessonView, done: Set<string>): number {
  if (done.size === 0) return 0;
  const open = lesson.steps.findIndex((step) => !done.has(step.id));
  return open === -1 ? lesson.steps.length + (lesson.finish ? 1 : 0) : open + 1;
}

/** The lesson's pages (intro, steps, finish) one at a time, with the list of steps and each step's Check. */
export function StepsPanel({ lesson, done, actions, check, onStepShown, setupFailures = {} }: Props) {
  const [page, setPage] = useState(() =>
    Math.min(firstPage(lesson, done), firstClosedPage(lesson.steps, done)?.page ?? Number.MAX_SAFE_INTEGER),
  );
  const [checks, setChecks] = useState<Record<string, CheckState>>({});
  const heading = useRef<HTMLHeadingElement>(null);
  const pages: PageView[] = [lesson.intro, ...lesson.steps, ...(lesson.finish ? [lesson.finish] : [])];
  const step = page >= 1 && page <= lesson.steps.length ? lesson.steps[page - 1] : undefined;
  const current = pages[page] ?? lesson.intro;
  const nextOpen = lesson.steps.find((candidate) => !done.has(candidate.id));

  const closed = firstClosedPage(lesson.steps, done);
  const nextClosed = page < pages.length - 1 ? nextClosedBecause(lesson.steps, done, page) : undefined;
  const setupFailure = step ? setupFailures[step.id] : undefined;

  function go(to: number) {
    setPage(Math.max(0, Math.min(pages.length - 1, closed ? closed.page - 1 : pages.length - 1, to)));
  }

  // Moving to another page puts the reader at its title, for keyboards and screen readers alike.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on page changes only.
  useEffect(() => {
    heading.current?.focus({ preventScroll: false });
  }, [page]);

  useEffect(() => onStepShown?.(step?.id ?? null), [step?.id, onStepShown]);

  async function runCheck(target: StepView) {
    if (!check) return;
    setChecks((previous) => ({ ...previous, [target.id]: { kind: "running" } }));
    try {
      const outcome = await check(target);
      setChecks((previous) => ({ ...previous, [target.id]: { kind: "done", outcome } }));
    } catch (error) {
      setChecks((previous) => ({
        ...previous,
        [target.id]: { kind: "error", message: error instanceof Error ? error.message : String(error) },
      }));
    }
  }

  const state = step ? (checks[step.id] ?? { kind: "idle" }) : undefined;
  const passed = step ? done.has(step.id) : false;

  return (
    <div className="steps-panel">
      <header className="steps-header">
        <p className="lesson-kicker">{lesson.title}</p>
        <nav aria-label="Steps">
          <ol className="step-list">
            <li>
              <button type="button" className="step-link" aria-current={page === 0 ? "step" : undefined} onClick={() => go(0)}>
                Introduction
              </button>
            </li>
            {lesson.steps.map((item, index) => (
              <li key={item.id} className={done.has(item.id) ? "passed" : item === nextOpen ? "next" : undefined}>
                <button
                  type="button"
                  className="step-link"
                  aria-current={page === index + 1 ? "step" : undefined}
                  onClick={() => go(index + 1)}
                  disabled={closed !== undefined && index + 1 >= closed.page}
                  aria-label={`Step ${index + 1}: ${item.title}${done.has(item.id) ? " (passed)" : item === nextOpen ? " (next)" : ""}`}
                >
                  <span className="step-mark" aria-hidden="true">
                    {done.has(item.id) ? "✓" : index + 1}
                  </span>
                  <span className="step-title">{item.title}</span>
                </button>
              </li>
            ))}
          </ol>
        </nav>
      </header>

      <article className="step-body" aria-labelledby="page-title">
        <h2 id="page-title" ref={heading} tabIndex={-1}>
          {step ? `${page}. ` : ""}
          {current.title}
        </h2>
        {setupFailure && (
          <p className="setup-failure" role="alert" data-testid="setup-failure">
            Preparing this step in your sandbox failed: {setupFailure} You can carry on; if the step does not work, Reset gives you a fresh
            sandbox.
          </p>
        )}
        <Parts parts={current.parts} actions={actions} />
      </article>

      <footer className="step-footer">
        {step && (
          <div className="check-row">
            <button type="button" onClick={() => runCheck(step)} disabled={!check || state?.kind === "running"}>
              Check
            </button>
            <CheckResult state={state} passed={passed} />
          </div>
        )}
        <div className="page-nav">
          <button type="button" className="secondary" onClick={() => go(page - 1)} disabled={page === 0}>
            Previous
          </button>
          <span className="page-count">{step ? `Step ${page} of ${lesson.steps.length}` : page === 0 ? "Introduction" : "Finished"}</span>
          <button
            type="button"
            className={!step || passed ? "" : "secondary"}
            onClick={() => go(page + 1)}
            disabled={page >= pages.length - 1 || nextClosed !== undefined}
            aria-describedby={nextClosed ? "next-closed" : undefined}
          >
            {page === 0 ? "Begin" : "Next"}
          </button>
        </div>
        {nextClosed && (
          <p id="next-closed" className="next-closed" data-testid="next-closed">
            {nextClosed}
          </p>
        )}
      </footer>
    </div>
  );
}

function CheckResult({ state, passed }: { state: CheckState | undefined; passed: boolean }) {
  let text = "";
  let tone = "";
  if (state?.kind === "running") {
    text = "Checking…";
  } else if (state?.kind === "done") {
    tone = state.outcome.passed ? "pass" : "fail";
    text = state.outcome.passed ? "✓ Passed" : `✗ ${state.outcome.message || "Not yet."}`;
  } else if (state?.kind === "error") {
    tone = "fail";
    text = `✗ ${state.message}`;
  } else if (passed) {
    tone = "pass";
    text = "✓ Passed before";
  }
  return (
    <p className={`check-result ${tone}`} role="status" aria-live="polite" data-testid="check-result">
      {text}
    </p>
  );
}
