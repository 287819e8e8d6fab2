/**
 * Steps of a first Start, as Performance API marks (seen in the browser's
 * performance panel, and read by `npm run bench:web` to break the time down).
 */
export type StartStep =
  | "start-requested"
  | "start-answered"
  | "session-ready"
  | "terminal-code-loaded"
  | "terminal-opened"
  | "terminal-connected"
  | "terminal-first-output";

/** `detail` travels with the mark (the session's id, so the benchmark can end the session it started). */
export function markStartStep(step: StartStep, detail?: Record<string, string>): void {
  performance.mark(`drydock:${step}`, detail ? { detail } : undefined);
}
