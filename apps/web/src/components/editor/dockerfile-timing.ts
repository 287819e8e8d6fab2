/**
 * Diagnostics wait for a pause in typing, so a half-typed word is not
 * flagged under the learner's fingers. The check itself is cheap on the main
 * thread (a lab's Dockerfile validates in well under a millisecond, 200
 * lines in a few), so it needs no worker. `npm run bench:dockerfile`
 * measures the whole way from a keystroke to the problems line.
 */
export const DIAGNOSTICS_PAUSE_MS = 250;
