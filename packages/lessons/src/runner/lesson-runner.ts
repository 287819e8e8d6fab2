import { readFile } from "node:fs/promises";
import { join, posix } from "node:path";
import type { ActionBlock, CheckBlock, Lesson, Part, Step } from "../model";
import { DEFAULT_FOREGROUND_OPTIONS, type ForegroundOptions, ForegroundRunner, type StepCheck } from "./foreground";
import { LearnerTerminal, type LearnerTerminalOptions, TerminalTimeoutError } from "./learner-terminal";
import type { CheckOutcome, LessonSandbox } from "./lesson-sandbox";
import { type LessonWay, planStep } from "./lesson-ways";

export interface RunLessonOptions {
  /** Reads a file the lesson places in the workspace (`source` is relative to the lesson folder). Default: from disk. */
  readLessonFile?: (lesson: Lesson, source: string) => Promise<Uint8Array>;
  /** Structured events (one JSON line each, where the caller logs). */
  log?: (event: string, fields: Record<string, unknown>) => void;
  terminal?: Partial<LearnerTerminalOptions>;
  /**
   * A step's check is tried this many times after the step (2 s apart) before
   * it counts as failed: what a step starts (a server, a container) may need a
   * moment, as it would for a learner pressing Check.
   */
  afterCheckAttempts?: number;
  afterCheckIntervalMs?: number;
  /** Perform each step as written (default), or its ```variant where it has one: the second pass. */
  way?: LessonWay;
  /** Commands that stay in the foreground (foreground.ts): when the step's check is tried while they run. */
  foreground?: Partial<ForegroundOptions>;
}

export type StepVerdict = "passed" | "failed" | "skipped";

export interface StepRunResult {
  stepId: string;
  title: string;
  /** How it was performed: as written, or its variant (a step without one is performed as written in the second pass too). */
  performedAs: LessonWay;
  /** The check before the step was performed: it must fail, or it would pass vacuously. */
  before: CheckOutcome | undefined;
  /** Whether every block was performed (undefined when skipped). */
  performed: boolean | undefined;
  /** The check after the step was performed: it must pass. */
  after: CheckOutcome | undefined;
  verdict: StepVerdict;
  /** Why the step failed, in words. */
  problem?: string;
  /** What the terminal showed during the step, when it failed. */
  transcript?: string;
  durationMs: number;
}

export interface LessonRunResult {
  lessonId: string;
  /** The pass: steps as written, or their variants. */
  way: LessonWay;
  passed: boolean;
  /** Why the lesson could not start (files, setup, the first prompt), if it could not. */
  problem?: string;
  /** Everything the terminal showed during the run, as plain text. */
  transcript: string;
  steps: StepRunResult[];
  durationMs: number;
}

/**
 * Runs a lesson the way a learner would, proving each step: its check fails
 * before the step, the step is performed (command blocks typed into the
 * terminal in order, file blocks written as the editor would, a solution's
 * blocks too), and the check passes after. Stops at the first failed step,
 * since later steps build on it.
 */
export async function runLesson(lesson: Lesson, sandbox: LessonSandbox, options: RunLessonOptions = {}): Promise<LessonRunResult> {
  const log = options.log ?? (() => {});
  const way = options.way ?? "as-written";
  const readLessonFile = options.readLessonFile ?? ((owner, source) => readFile(join(owner.directory, source)));
  const started = Date.now();
  const terminal = new LearnerTerminal(sandbox, options.terminal);
  const foreground = new ForegroundRunner(terminal, { ...DEFAULT_FOREGROUND_OPTIONS, ...options.foreground });
  const steps: StepRunResult[] = [];
  const finish = async (passed: boolean, extra: Partial<LessonRunResult> = {}): Promise<LessonRunResult> => {
    for (const step of lesson.steps.slice(steps.length)) {
      steps.push({
        stepId: step.id,
        title: step.title,
        performedAs: planStep(step, way).performedAs,
        before: undefined,
        performed: undefined,
        after: undefined,
        verdict: "skipped",
        durationMs: 0,
      });
    }
    const history = await sandbox.readTerminalHistory?.().catch(() => undefined);
    const transcript = history ?? (await terminal.transcript());
    const result = { lessonId: lesson.id, way, passed, steps, durationMs: Date.now() - started, transcript, ...extra };
    log("lesson.finished", { lesson: lesson.id, way, passed, durationMs: result.durationMs });
    return result;
  };

  try {
    log("lesson.started", { lesson: lesson.id, way, steps: lesson.steps.length });
    try {
      await terminal.waitForPrompt();
      for (const file of lesson.files) {
        await sandbox.writeFile(inWorkspace(lesson, file.path), await readLessonFile(lesson, file.source), {
          append: false,
          ...(file.mode !== undefined ? { mode: file.mode } : {}),
        });
      }
      await runSetups(lesson.intro.parts, sandbox);
      await perform(lesson, lesson.intro.parts, sandbox, { terminal, foreground }, log);
    } catch (error) {
      return await finish(false, { problem: `The lesson could not start: ${describe(error)}` });
    }

    for (const step of lesson.steps) {
      const result = await runStep(lesson, step, sandbox, { terminal, foreground }, { ...options, way }, log);
      steps.push(result);
      log("step.finished", {
        lesson: lesson.id,
        step: step.id,
        performedAs: result.performedAs,
        verdict: result.verdict,
        durationMs: result.durationMs,
        ...(result.problem ? { problem: result.problem } : {}),
      });
      if (result.verdict !== "passed") return await finish(false);
    }
    return await finish(true);
  } finally {
    terminal.dispose();
  }
}

async function runStep(
  lesson: Lesson,
  step: Step,
  sandbox: LessonSandbox,
  shell: LearnerShell,
  options: RunLessonOptions,
  log: NonNullable<RunLessonOptions["log"]>,
): Promise<StepRunResult> {
  const { terminal } = shell;
  const started = Date.now();
  const mark = terminal.mark();
  const plan = planStep(step, options.way ?? "as-written");
  const result = (fields: Omit<StepRunResult, "stepId" | "title" | "performedAs" | "durationMs">): StepRunResult => ({
    stepId: step.id,
    title: step.title,
    performedAs: plan.performedAs,
    durationMs: Date.now() - started,
    ...fields,
  });

  try {
    await runSetups(step.parts, sandbox);
    await runSetups(plan.setups, sandbox);
  } catch (error) {
    return result({
      before: undefined,
      performed: false,
      after: undefined,
      verdict: "failed",
      problem: `The step's setup failed: ${describe(error)}`,
    });
  }

  const before = await runCheck(sandbox, step.check);
  log("step.checked_before", {
    lesson: lesson.id,
    step: step.id,
    performedAs: plan.performedAs,
    passed: before.passed,
    message: before.message,
  });

  try {
    const stepCheck: StepCheck = () =>
      runCheck(sandbox, step.check).then(
        (outcome) => outcome.passed,
        () => false,
      );
    await perform(lesson, plan.parts, sandbox, shell, log, stepCheck);
  } catch (error) {
    return result({
      before,
      performed: false,
      after: undefined,
      verdict: "failed",
      problem: `Performing the step failed: ${describe(error)}`,
      transcript: error instanceof TerminalTimeoutError ? error.transcript : await terminal.transcriptSince(mark),
    });
  }

  const attempts = Math.max(1, options.afterCheckAttempts ?? 3);
  let after = await runCheck(sandbox, step.check);
  for (let attempt = 2; attempt <= attempts && !after.passed; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, options.afterCheckIntervalMs ?? 2000));
    after = await runCheck(sandbox, step.check);
  }
  log("step.checked_after", {
    lesson: lesson.id,
    step: step.id,
    performedAs: plan.performedAs,
    passed: after.passed,
    message: after.message,
  });

  const problems: string[] = [];
  if (before.passed) {
    const state = plan.setups.length > 0 ? " (from the state the variant's setup made, which a learner may already have)" : "";
    problems.push(`The check passed before the step was performed${state}: it would pass without the learner doing anything.`);
  }
  if (!after.passed) problems.push(`The check still fails after the step: ${after.message}`);
  if (problems.length === 0) return result({ before, performed: true, after, verdict: "passed" });
  return result({
    before,
    performed: true,
    after,
    verdict: "failed",
    problem: problems.join(" "),
    transcript: `${await terminal.transcriptSince(mark)}${after.passed ? "" : `\n--- check output ---\n${after.output}`}`,
  });
}

/** The learner's terminal, and what its foreground holds. */
interface LearnerShell {
  terminal: LearnerTerminal;
  foreground: ForegroundRunner;
}

/** Performs a page's blocks in order: run blocks typed, file blocks written, a solution's blocks too. */
async function perform(
  lesson: Lesson,
  parts: readonly Part[],
  sandbox: LessonSandbox,
  shell: LearnerShell,
  log: NonNullable<RunLessonOptions["log"]>,
  stepCheck?: StepCheck,
): Promise<void> {
  const blocks = parts.flatMap((part): ActionBlock[] =>
    part.kind === "solution" ? part.blocks : part.kind === "run" || part.kind === "file" ? [part] : [],
  );
  for (const [index, block] of blocks.entries()) {
    // The step's check can end the wait for a command only where nothing follows it, or where the block says it keeps running.
    const last = index === blocks.length - 1;
    const check = block.kind === "run" && (last || block.keepsRunning) ? stepCheck : undefined;
    await performBlock(lesson, block, sandbox, shell, log, check);
  }
}

async function performBlock(
  lesson: Lesson,
  block: ActionBlock,
  sandbox: LessonSandbox,
  shell: LearnerShell,
  log: NonNullable<RunLessonOptions["log"]>,
  stepCheck: StepCheck | undefined,
): Promise<void> {
  const where = `${block.position.file}:${block.position.line}`;
  if (block.kind === "run") {
    const started = Date.now();
    const outcome = await shell.foreground.run(block, stepCheck);
    log("block.typed", { lesson: lesson.id, at: where, command: block.command, outcome, durationMs: Date.now() - started });
  } else if (block.kind === "file") {
    await sandbox.writeFile(inWorkspace(lesson, block.path), new TextEncoder().encode(block.content), { append: block.append });
    log("block.written", { lesson: lesson.id, at: where, path: block.path, append: block.append });
  }
}

async function runSetups(parts: readonly Part[], sandbox: LessonSandbox): Promise<void> {
  for (const part of parts) {
    if (part.kind !== "setup") continue;
    const outcome = await sandbox.runCheck(part.script, { timeoutMs: part.timeoutSeconds * 1000 });
    if (!outcome.passed) throw new Error(`the setup script at line ${part.position.line} failed: ${outcome.message}\n${outcome.output}`);
  }
}

function runCheck(sandbox: LessonSandbox, check: CheckBlock): Promise<CheckOutcome> {
  return sandbox.runCheck(check.script, { timeoutMs: check.timeoutSeconds * 1000 });
}

/** A path from the lesson (a file block's, a placed file's) as an absolute path in the sandbox. */
export function inWorkspace(lesson: Lesson, path: string): string {
  return posix.resolve(lesson.workspace, path);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
