/**
 * What a learner waiting for a start slot is told: their place in line and,
 * once boots have been measured, about how long until their sandbox is ready.
 * Pure: the scheduler passes what it knows.
 */
export interface QueuePlace {
  /** 1 for the next to be let through. */
  position: number;
  /** About how long until this start's sandbox is ready (its wait and its own boot); absent before any boot was measured. */
  readyInMs?: number;
}

export interface LineState {
  concurrency: number;
  /** How long each boot running now has been running. */
  runningForMs: readonly number[];
  /** A typical boot's duration, from recent ones; undefined before any finished. */
  typicalBootMs: number | undefined;
}

/**
 * When the start at `position` should be ready: every slot frees up when its
 * boot has had a typical duration (an overdue one any moment now), the starts
 * ahead take the earliest free slots in turn, and this one boots for a
 * typical duration once it gets one.
 */
export function estimateReadyMs(line: LineState, position: number): number | undefined {
  const bootMs = line.typicalBootMs;
  if (bootMs === undefined) return undefined;
  // More boots may run than the concurrency (it dropped while they ran): only the last of them to end frees a slot.
  const slots = line.runningForMs
    .map((elapsed) => Math.max(bootMs - elapsed, 0))
    .sort((a, b) => a - b)
    .slice(-line.concurrency);
  while (slots.length < line.concurrency) slots.push(0);
  let startsAt = 0;
  for (let place = 1; place <= position; place++) {
    slots.sort((a, b) => a - b);
    startsAt = slots[0] ?? 0;
    slots[0] = startsAt + bootMs;
  }
  return startsAt + bootMs;
}

/** The median of recent durations; undefined when there are none. */
export function typicalDuration(durationsMs: readonly number[]): number | undefined {
  if (durationsMs.length === 0) return undefined;
  const sorted = [...durationsMs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st. */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  const suffix = ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
}

/** "Waiting for a free start slot: 4th in line, about 12 s" (without the estimate until boots were measured). */
export function waitingMessage(place: QueuePlace): string {
  const line = `Waiting for a free start slot: ${place.position === 1 ? "next" : `${ordinal(place.position)} in line`}`;
  if (place.readyInMs === undefined) return line;
  const seconds = Math.max(1, Math.round(place.readyInMs / 1000));
  return `${line}, about ${seconds < 90 ? `${seconds} s` : `${Math.round(seconds / 60)} min`}`;
}
