import type { StuckFlag } from "@drydock/protocol";

const MINUTE = 60_000;

/** What the radar knows of one seat: only signals Drydock sees itself. */
export interface SeatSignals {
  /** The step the attendee is on, its title, and since when. */
  current: { key: string; title: string; since: number } | null;
  /** The seat's checks on its current step since it last passed one, oldest first. */
  checksOnStep: { passed: boolean; at: number }[];
  /** The last commands' ends in the seat's terminal, oldest first. */
  commands: { exitCode: number; command: string | null; at: number }[];
  /** The last activity in the seat's terminal or page. */
  activeAt: number | null;
  finished: boolean;
}

export interface RadarThresholds {
  failedChecks: number;
  failedCommands: number;
  /** Time on a step counts as long beyond this many times the room's median, and this long at least. */
  medianFactor: number;
  minLongMs: number;
  idleMs: number;
  /** Failures older than this are history, not a signal. */
  windowMs: number;
}

export const DEFAULT_THRESHOLDS: RadarThresholds = {
  failedChecks: 3,
  failedCommands: 3,
  medianFactor: 2,
  minLongMs: 5 * MINUTE,
  idleMs: 10 * MINUTE,
  windowMs: 15 * MINUTE,
};

const minutes = (ms: number) => `${Math.max(1, Math.round(ms / MINUTE))} min`;

/** Commands named for what they are when a failing run is of one kind ("builds"), else plain "commands". */
function kindOf(command: string | null): string {
  const words = (command ?? "").trim().split(/\s+/);
  if (words[0] !== "docker") return "commands";
  const verb = words[1] === "buildx" || words[1] === "image" || words[1] === "container" ? words[2] : words[1];
  if (verb === "build") return "builds";
  if (verb === "run") return "docker runs";
  if (verb === "push") return "pushes";
  return "docker commands";
}

/** The failures at the end of a list, newest last, within the window. */
function trailingFailures<T extends { at: number }>(items: T[], failed: (item: T) => boolean, since: number): T[] {
  const run: T[] = [];
  for (let index = items.length - 1; index >= 0; index -= 1) {
    const item = items[index] as T;
    if (!failed(item) || item.at < since) break;
    run.unshift(item);
  }
  return run;
}

/**
 * Why an attendee is probably stuck, in words an instructor acts on ("3 failed
 * builds in 4 min"); empty when nothing says so. Pure: the room's median time
 * per step is given, computed across the room by the caller.
 */
export function stuckReasons(
  seat: SeatSignals,
  roomMedianMs: ReadonlyMap<string, number>,
  now: number,
  limits: RadarThresholds = DEFAULT_THRESHOLDS,
): StuckFlag[] {
  if (seat.finished) return [];
  const flags: StuckFlag[] = [];
  const since = now - limits.windowMs;

  const failedChecks = trailingFailures(seat.checksOnStep, (check) => !check.passed, since);
  if (failedChecks.length >= limits.failedChecks) {
    const span = now - (failedChecks[0] as { at: number }).at;
    flags.push({ reason: `${failedChecks.length} failed checks in ${minutes(span)}` });
  }

  const failedCommands = trailingFailures(seat.commands, (command) => command.exitCode !== 0 && command.exitCode !== 130, since);
  if (failedCommands.length >= limits.failedCommands) {
    const kinds = new Set(failedCommands.map((command) => kindOf(command.command)));
    const kind = kinds.size === 1 ? [...kinds][0] : "commands";
    const span = now - (failedCommands[0] as { at: number }).at;
    const last = failedCommands[failedCommands.length - 1] as { exitCode: number };
    flags.push({ reason: `${failedCommands.length} failed ${kind} in ${minutes(span)} (last exit ${last.exitCode})` });
  }

  if (seat.current) {
    const onStep = now - seat.current.since;
    const median = roomMedianMs.get(seat.current.key);
    if (median !== undefined && onStep >= limits.minLongMs && onStep > median * limits.medianFactor) {
      flags.push({ reason: `${minutes(onStep)} on "${seat.current.title}"; the room's median is ${minutes(median)}` });
    }
  }

  if (seat.activeAt !== null && now - seat.activeAt >= limits.idleMs) {
    flags.push({ reason: `idle for ${minutes(now - seat.activeAt)}` });
  }
  return flags;
}

/** The median of the times the room's attendees took to pass each step (steps passed by fewer than two have none). */
export function roomMedians(durationsByStep: ReadonlyMap<string, number[]>): Map<string, number> {
  const medians = new Map<string, number>();
  for (const [key, durations] of durationsByStep) {
    if (durations.length < 2) continue;
    const sorted = [...durations].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    medians.set(key, sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2);
  }
  return medians;
}
