/**
 * The workshop report: a row per attendee per step, built from database rows
 * only (pure; workshop-report-source.ts reads them). Nothing here asks a
 * sandbox, so the report stays whole after the workshop's sandboxes are gone.
 */
import { toCsv } from "./csv";

export interface ReportLesson {
  id: string;
  title: string;
  steps: { id: string; title: string }[];
}

export interface ReportSeat {
  id: string;
  name: string;
  joinedAt: Date | null;
  /** SeatStep rows: when each step was first shown, and passed. */
  steps: { lessonId: string; stepId: string; enteredAt: Date; passedAt: Date | null }[];
  /** StepProgress rows of the seat's visitor: a pass the seat's step row may not carry. */
  progress: { lessonId: string; stepId: string; passedAt: Date }[];
  checks: { lessonId: string; stepId: string; passed: boolean }[];
  /** Hands raised in the whole workshop (help requests are not tied to a step). */
  helpRequests: number;
}

export interface ReportInput {
  workshop: { id: string; title: string; endedAt: Date | null };
  /** The workshop's lessons in its order, each with its steps in order. */
  lessons: ReportLesson[];
  /** Joined seats (a prepared seat nobody took has no name and no row). */
  seats: ReportSeat[];
  now: Date;
}

export interface ReportRow {
  attendee: string;
  seatId: string;
  lessonId: string;
  lesson: string;
  /** The step's place in its lesson, from 1. */
  stepNumber: number;
  stepId: string;
  step: string;
  /** ISO 8601 UTC, or null: not shown to the attendee yet. */
  enteredAt: string | null;
  passedAt: string | null;
  /** Checks run on the step, and how many of them failed. */
  attempts: number;
  failedAttempts: number;
  /** From entering the step to passing it; if not passed, to the workshop's end (or now while it runs). */
  secondsOnStep: number | null;
  /** The attendee's help requests in the whole workshop, repeated on each of their rows. */
  attendeeHelpRequests: number;
}

export interface WorkshopReport {
  workshop: { id: string; title: string; endedAt: string | null };
  generatedAt: string;
  rows: ReportRow[];
}

export function buildWorkshopReport(input: ReportInput): WorkshopReport {
  const until = input.workshop.endedAt ?? input.now;
  const seats = [...input.seats].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const rows = seats.flatMap((seat) => {
    const stepRows = new Map(seat.steps.map((row) => [key(row.lessonId, row.stepId), row]));
    const progress = new Map(seat.progress.map((row) => [key(row.lessonId, row.stepId), row.passedAt]));
    const checks = new Map<string, { attempts: number; failed: number }>();
    for (const check of seat.checks) {
      const count = checks.get(key(check.lessonId, check.stepId)) ?? { attempts: 0, failed: 0 };
      count.attempts += 1;
      if (!check.passed) count.failed += 1;
      checks.set(key(check.lessonId, check.stepId), count);
    }
    return input.lessons.flatMap((lesson) =>
      lesson.steps.map((step, index): ReportRow => {
        const at = key(lesson.id, step.id);
        const entered = stepRows.get(at);
        const passedAt = entered?.passedAt ?? progress.get(at) ?? null;
        const count = checks.get(at) ?? { attempts: 0, failed: 0 };
        return {
          attendee: seat.name,
          seatId: seat.id,
          lessonId: lesson.id,
          lesson: lesson.title,
          stepNumber: index + 1,
          stepId: step.id,
          step: step.title,
          enteredAt: entered ? entered.enteredAt.toISOString() : null,
          passedAt: passedAt ? passedAt.toISOString() : null,
          attempts: count.attempts,
          failedAttempts: count.failed,
          secondsOnStep: entered ? secondsBetween(entered.enteredAt, passedAt ?? until) : null,
          attendeeHelpRequests: seat.helpRequests,
        };
      }),
    );
  });
  return {
    workshop: { id: input.workshop.id, title: input.workshop.title, endedAt: input.workshop.endedAt?.toISOString() ?? null },
    generatedAt: input.now.toISOString(),
    rows,
  };
}

/** The report's columns in the CSV, in order, with their headings. */
const REPORT_COLUMNS: { heading: string; value: (row: ReportRow) => string | number | null }[] = [
  { heading: "attendee", value: (row) => row.attendee },
  { heading: "lesson", value: (row) => row.lesson },
  { heading: "step number", value: (row) => row.stepNumber },
  { heading: "step", value: (row) => row.step },
  { heading: "entered at", value: (row) => row.enteredAt },
  { heading: "passed at", value: (row) => row.passedAt },
  { heading: "attempts", value: (row) => row.attempts },
  { heading: "failed attempts", value: (row) => row.failedAttempts },
  { heading: "seconds on step", value: (row) => row.secondsOnStep },
  { heading: "help requests (attendee total)", value: (row) => row.attendeeHelpRequests },
  { heading: "lesson id", value: (row) => row.lessonId },
  { heading: "step id", value: (row) => row.stepId },
  { heading: "seat id", value: (row) => row.seatId },
];

export function reportCsv(report: WorkshopReport): string {
  return toCsv(
    REPORT_COLUMNS.map((column) => column.heading),
    report.rows.map((row) => REPORT_COLUMNS.map((column) => column.value(row))),
  );
}

/** A download's file name from the workshop's title: lower-case ASCII letters, digits and dashes only. */
export function reportFileName(title: string, extension: "csv" | "json"): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return `${slug || "workshop"}-report.${extension}`;
}

function key(lessonId: string, stepId: string): string {
  return `${lessonId}\u0000${stepId}`;
}

function secondsBetween(from: Date, to: Date): number {
  return Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
}
