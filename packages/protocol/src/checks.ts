import type { Ack } from "./result";

/** A lesson step's check run in the sandbox: exit 0 passes, stdout lines "FAIL: …" explain why not. */
export interface CheckRequest {
  script: string;
  timeoutMs?: number;
}

export interface CheckOutcome {
  passed: boolean;
  message: string;
  output: string;
  durationMs: number;
}

export const MAX_CHECK_SCRIPT = 64 * 1024;
export const MAX_CHECK_TIMEOUT_MS = 120_000;

export interface CheckClientEvents {
  "check:run": (request: CheckRequest, ack: Ack<CheckOutcome>) => void;
}
