import type { Lesson, Part, SetupBlock, Step } from "../model";

/**
 * The two passes of `lessons test`: each step performed as the lesson writes
 * it, then (on a fresh sandbox) each step performed the second, valid way its
 * ```variant block gives. The same check must judge both alike.
 */
export type LessonWay = "as-written" | "variant";

export interface StepPlan {
  /** How the step is performed in this pass: a step without a variant is performed as written in both. */
  performedAs: LessonWay;
  /** Hidden scripts run before the check is first tried (the variant's: state a learner may already have). */
  setups: SetupBlock[];
  /** What is performed between the two checks, in page order. */
  parts: readonly Part[];
}

export function planStep(step: Step, way: LessonWay): StepPlan {
  if (way === "variant" && step.variant) return { performedAs: "variant", setups: step.variant.setups, parts: step.variant.blocks };
  return { performedAs: "as-written", setups: [], parts: step.parts };
}

/** Whether a second pass has anything to prove: at least one step has a variant. */
export function hasVariants(lesson: Lesson): boolean {
  return lesson.steps.some((step) => step.variant !== undefined);
}
