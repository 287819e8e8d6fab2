import { randomBytes } from "node:crypto";
import type { Lesson } from "@drydock/lessons";
import { type CheckOutcome, type CheckRequest, MAX_CHECK_TIMEOUT_MS, type StepSetupOutcome } from "@drydock/protocol";

/** Where a sandbox remembers which steps' setups ran: in memory (/run is a tmpfs), so it lives and dies with the sandbox. */
export const SETUP_MARKS = "/run/drydock/setups";
/** Printed when the setup ran before in this sandbox. */
export const ALREADY_RAN = "DRYDOCK_SETUP_ALREADY_RAN";
/** Time the wrapper needs besides the setup itself. */
const WRAPPER_MS = 5_000;

/**
 * The check request that runs a step's setup script at most once per
 * sandbox. `mkdir` of the step's mark is atomic, so two tabs opening the
 * step at once run it once; a setup that fails (or runs out of its time)
 * removes its mark, so opening the step again retries it.
 */
export function setupOnce(mark: string, script: string, timeoutMs: number, marks = SETUP_MARKS): CheckRequest {
  const seconds = Math.max(1, Math.ceil(Math.min(timeoutMs, MAX_CHECK_TIMEOUT_MS - WRAPPER_MS) / 1000));
  let delimiter = `DRYDOCK_SETUP_${randomBytes(6).toString("hex")}`;
  while (script.includes(delimiter)) delimiter = `DRYDOCK_SETUP_${randomBytes(6).toString("hex")}`;
  const wrapped = [
    `mkdir -p ${marks} || exit 1`,
    `if ! mkdir ${marks}/${mark} 2>/dev/null; then echo ${ALREADY_RAN}; exit 0; fi`,
    `timeout --kill-after=2 ${seconds} bash -s <<'${delimiter}'`,
    script.replace(/\n?$/, "\n") + delimiter,
    "status=$?",
    `if [ "$status" -ne 0 ]; then rmdir ${marks}/${mark}; fi`,
    `if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then echo "FAIL: it did not finish within ${seconds} s."; fi`,
    'exit "$status"',
  ].join("\n");
  return { script: wrapped, timeoutMs: seconds * 1000 + WRAPPER_MS };
}

/** A step's setup scripts as check requests that each run once per sandbox; none for an unknown step or one without setup. */
export function stepSetupRequests(lesson: Lesson, stepId: string): CheckRequest[] {
  const step = lesson.steps.find((candidate) => candidate.id === stepId);
  if (!step) return [];
  return step.parts.flatMap((part, index) =>
    part.kind === "setup" ? [setupOnce(`${lesson.id}--${step.id}--${index}`, part.script, part.timeoutSeconds * 1000)] : [],
  );
}

/** Runs a step's setups in order through `run` (the sandbox's check:run); stops at the first that fails. */
export async function runStepSetups(
  requests: CheckRequest[],
  run: (request: CheckRequest) => Promise<CheckOutcome>,
): Promise<StepSetupOutcome> {
  let ran = false;
  for (const request of requests) {
    const outcome = await run(request);
    if (!outcome.passed) {
      const reason = outcome.message.startsWith("The check")
        ? outcome.message.replace("The check", "The step's setup script")
        : outcome.message;
      return { ran: true, passed: false, message: reason };
    }
    if (!outcome.output.includes(ALREADY_RAN)) ran = true;
  }
  return { ran, passed: true, message: "" };
}
