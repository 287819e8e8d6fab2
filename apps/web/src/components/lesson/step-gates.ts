/**
 * Which pages a learner may open when steps require their check to pass
 * before Next (a lesson's requirePass, a check marked required). Pages are
 * the intro (0), the steps (1..n) and the finish (n + 1).
 */
export interface GatedStep {
  id: string;
  title: string;
  requirePass: boolean;
}

/** The first page that stays closed, and the step that holds it closed; undefined when every page is open. */
export function firstClosedPage(steps: readonly GatedStep[], done: ReadonlySet<string>): { page: number; step: GatedStep } | undefined {
  const index = steps.findIndex((step) => step.requirePass && !done.has(step.id));
  const step = steps[index];
  return step ? { page: index + 2, step } : undefined;
}

/** Why Next is closed on this page, in a sentence; undefined when it is open. */
export function nextClosedBecause(steps: readonly GatedStep[], done: ReadonlySet<string>, page: number): string | undefined {
  const closed = firstClosedPage(steps, done);
  if (!closed || page + 1 < closed.page) return undefined;
  return closed.page === page + 1
    ? "Pass this step's check to go on: this lesson asks for each of its steps to pass before the next."
    : `Step "${closed.step.title}" must pass its check first.`;
}
