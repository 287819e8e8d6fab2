export { BUILT_IN_LESSONS_DIR } from "./built-in";
export { formatImportNote, type ImportNote } from "./killercoda/import-notes";
export { formatImportReport, type ImportReport, importKillercodaScenario } from "./killercoda/importer";
export { convertKillercodaMarkdown } from "./killercoda/markdown";
export { type ConvertedScenario, convertKillercodaScenario, type KillercodaScenario, ScenarioError } from "./killercoda/scenario";
export * from "./model";
export { BLOCK_KINDS, type BlockKind, type PagePlace } from "./parser/block-kinds";
export { type FrontMatter, frontMatterSchema } from "./parser/front-matter";
export { type LessonLibrary, loadLesson, loadLessons, readLessonSources } from "./parser/lesson-loader";
export {
  FILES_FOLDER,
  FINISH_FILE,
  LESSON_FILE,
  type LessonParseResult,
  type LessonSources,
  type ParseOptions,
  parseLesson,
  STEPS_FOLDER,
} from "./parser/lesson-parser";
export { type ParsedPage, parsePage } from "./parser/page-parser";
export { formatProblem, type LessonProblem, sortProblems } from "./parser/problems";
export { bashSyntaxChecker, type ShellSyntaxChecker } from "./parser/shell-syntax";
export {
  DEFAULT_TERMINAL_OPTIONS,
  LearnerTerminal,
  type LearnerTerminalOptions,
  type TerminalIO,
  type TerminalMark,
  TerminalTimeoutError,
} from "./runner/learner-terminal";
export {
  inWorkspace,
  type LessonRunResult,
  type RunLessonOptions,
  runLesson,
  type StepRunResult,
  type StepVerdict,
} from "./runner/lesson-runner";
export type { CheckOutcome, LessonSandbox } from "./runner/lesson-sandbox";
export { hasVariants, type LessonWay, planStep, type StepPlan } from "./runner/lesson-ways";
export { formatRunTable } from "./runner/run-table";
export { RUNNER_TERMINAL_SIZE, renderText, TerminalScreen, type TerminalSize } from "./runner/terminal-screen";
