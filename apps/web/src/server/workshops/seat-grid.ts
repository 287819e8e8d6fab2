import type { GridCell, GridStep } from "@drydock/protocol";
import { stepKey } from "./workshop-steps";

export interface SeatStepRecord {
  lessonId: string;
  stepId: string;
  enteredAt: Date;
  passedAt: Date | null;
}

export interface SeatGrid {
  cells: Record<string, GridCell>;
  current: { key: string; title: string; since: number } | null;
  passedCount: number;
  finished: boolean;
}

/**
 * A seat's row of the grid. The current step is the one most recently shown
 * to the attendee that they have not passed; a step with failed checks that is
 * not current shows as failed; the rest are passed or not started.
 */
export function seatGrid(steps: GridStep[], records: SeatStepRecord[], failedByStep: ReadonlyMap<string, number>): SeatGrid {
  const byKey = new Map(records.map((record) => [stepKey(record.lessonId, record.stepId), record]));
  const open = records.filter((record) => !record.passedAt).sort((a, b) => b.enteredAt.getTime() - a.enteredAt.getTime())[0];
  const currentKey = open ? stepKey(open.lessonId, open.stepId) : null;
  const cells: Record<string, GridCell> = {};
  let passedCount = 0;
  for (const step of steps) {
    const record = byKey.get(step.key);
    const failed = failedByStep.get(step.key) ?? 0;
    if (record?.passedAt) {
      passedCount += 1;
      cells[step.key] = { state: "passed", enteredAt: record.enteredAt.toISOString(), passedAt: record.passedAt.toISOString(), failed };
    } else if (record) {
      cells[step.key] = {
        state: step.key === currentKey ? "current" : failed > 0 ? "failed" : "none",
        enteredAt: record.enteredAt.toISOString(),
        failed,
      };
    } else {
      cells[step.key] = { state: failed > 0 ? "failed" : "none", failed };
    }
  }
  const currentStep = steps.find((step) => step.key === currentKey);
  return {
    cells,
    current: currentStep && open ? { key: currentStep.key, title: currentStep.title, since: open.enteredAt.getTime() } : null,
    passedCount,
    finished: steps.length > 0 && passedCount === steps.length,
  };
}
