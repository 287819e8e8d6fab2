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

export function markStartStep(step: StartStep): void {
  performance.mark(`drydock:${step}`);
}
