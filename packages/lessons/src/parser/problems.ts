/**
 * A problem found in a lesson's sources. Every problem points at a place an
 * author can open (file, line, column, all 1-based) and says what is wrong and
 * how to fix it, so `lessons check` output reads like a compiler's.
 */
export interface LessonProblem {
  file: string;
  line: number;
  column: number;
  /** What is wrong, in one sentence. */
  message: string;
  /** How to fix it, in one sentence. */
  fix: string;
}

export interface SourcePlace {
  file: string;
  line: number;
  column: number;
}

export function problemAt(place: SourcePlace, message: string, fix: string): LessonProblem {
  return { file: place.file, line: place.line, column: place.column, message, fix };
}

/** `file:line:col: message Fix: ...` — the form editors and terminals turn into links. */
export function formatProblem(problem: LessonProblem, displayPath: (file: string) => string = (file) => file): string {
  return `${displayPath(problem.file)}:${problem.line}:${problem.column}: ${problem.message}\n  fix: ${problem.fix}`;
}

/** Problems in reading order: by file, then line, then column. */
export function sortProblems(problems: LessonProblem[]): LessonProblem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}
