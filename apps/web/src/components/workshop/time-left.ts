/** The warnings an attendee gets before the end, in minutes left. */
export const END_WARNINGS_MINUTES = [10, 2];

/** "42 min left", "1 h 5 min left", "ended". */
export function timeLeftText(endsAt: number, now: number): string {
  const minutes = Math.ceil((endsAt - now) / 60_000);
  if (minutes <= 0) return "time is up";
  if (minutes < 60) return `${minutes} min left`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}

/** The warning due now, if any: the smallest threshold the time left has crossed. */
export function dueWarning(endsAt: number, now: number): number | null {
  const left = (endsAt - now) / 60_000;
  const crossed = END_WARNINGS_MINUTES.filter((threshold) => left <= threshold && left > 0);
  return crossed.length > 0 ? Math.min(...crossed) : null;
}
