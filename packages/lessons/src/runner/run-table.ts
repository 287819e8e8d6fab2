import type { LessonRunResult, StepRunResult } from "./lesson-runner";

/**
 * The runner's report: one row per step, saying whether the check failed
 * before the step (it must), whether the step was performed, whether the check
 * passed after (it must), and how long it took. Failures follow the table with
 * the reason and the terminal's last lines.
 */
export function formatRunTable(results: LessonRunResult[], wallMs?: number): string {
  const header = ["lesson", "way", "#", "step", "check before", "performed", "check after", "time", "result"];
  const rows: string[][] = [];
  for (const lesson of results) {
    lesson.steps.forEach((step, index) => {
      rows.push([
        lesson.lessonId,
        lesson.way,
        String(index + 1),
        step.stepId,
        beforeCell(step),
        performedCell(step, lesson.way),
        afterCell(step),
        step.verdict === "skipped" ? "-" : seconds(step.durationMs),
        step.verdict.toUpperCase(),
      ]);
    });
  }
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  const out = [line(header.map((title) => title.toUpperCase())), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)];

  const failures = results.flatMap((lesson) => {
    const notes: string[] = [];
    const name = lesson.way === "as-written" ? lesson.lessonId : `${lesson.lessonId} (${lesson.way})`;
    if (lesson.problem) notes.push(`${name}: ${lesson.problem}${indentTranscript(lastLines(lesson.transcript, 40))}`);
    for (const step of lesson.steps) {
      if (step.verdict === "failed")
        notes.push(`${name} / ${step.stepId}: ${step.problem ?? "failed"}${indentTranscript(step.transcript)}`);
    }
    return notes;
  });
  if (failures.length > 0) out.push("", "FAILURES", ...failures);

  const steps = results.flatMap((lesson) => lesson.steps);
  const passed = steps.filter((step) => step.verdict === "passed").length;
  const failed = steps.length - passed;
  const total = results.reduce((sum, lesson) => sum + lesson.durationMs, 0);
  const lessonIds = new Set(results.map((lesson) => lesson.lessonId));
  const lessonsPassed = [...lessonIds].filter((id) => results.every((lesson) => lesson.lessonId !== id || lesson.passed)).length;
  const variantRuns = results.filter((lesson) => lesson.way === "variant").length;
  out.push(
    "",
    `${lessonIds.size} lesson${lessonIds.size === 1 ? "" : "s"} (${lessonsPassed} passed), ${variantRuns} of them also performed their variants; ${steps.length} step runs, total ${seconds(total)}${wallMs === undefined ? "" : ` (${seconds(wallMs)} wall clock)`}`,
    // The plain closing line CI summaries read.
    `${passed} passed, ${failed} failed`,
  );
  return out.join("\n");
}

function beforeCell(step: StepRunResult): string {
  if (!step.before) return "-";
  return step.before.passed ? "passed (BAD)" : "failed (ok)";
}

function performedCell(step: StepRunResult, way: LessonRunResult["way"]): string {
  if (step.performed === undefined) return "-";
  if (!step.performed) return "NO";
  // In the second pass, a step without a variant is performed as written, so that later steps have what they need.
  return way === "variant" && step.performedAs === "as-written" ? "yes (as written)" : "yes";
}

function afterCell(step: StepRunResult): string {
  if (!step.after) return "-";
  return step.after.passed ? "passed (ok)" : "failed (BAD)";
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function indentTranscript(transcript: string | undefined): string {
  if (!transcript?.trim()) return "";
  return `\n  terminal (last lines):\n${transcript
    .split("\n")
    .map((line) => `    | ${line}`)
    .join("\n")}`;
}

function lastLines(text: string, count: number): string {
  return text.split("\n").slice(-count).join("\n");
}
