import { z } from "zod";
import type { Ack } from "./result";

/**
 * The page tells the control plane which step the learner opened, so the
 * step's `setup` scripts run in the sandbox: once per sandbox and step (a new
 * sandbox, after a reset, runs them again when the step is opened there).
 * Answered by the web gateway itself, never relayed to the agent as is.
 */
export interface StepOpenedRequest {
  stepId: string;
}

export interface StepSetupOutcome {
  /** false: the step has no setup, or it already ran in this sandbox. */
  ran: boolean;
  /** The setup's scripts all succeeded (true when none ran). */
  passed: boolean;
  /** What went wrong, in words, when one failed. */
  message: string;
}

export interface StepClientEvents {
  "step:opened": (request: StepOpenedRequest, ack: Ack<StepSetupOutcome>) => void;
}

export const stepOpenedRequestSchema: z.ZodType<StepOpenedRequest> = z.object({
  stepId: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "A step id is lowercase letters and digits joined by dashes."),
});
