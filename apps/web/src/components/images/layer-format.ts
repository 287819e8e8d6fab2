/** Sizes as `docker images` prints them: decimal units, three significant digits. */
export function formatSize(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 ? String(Math.round(value)) : String(Number(value.toPrecision(3)));
  return `${digits}${units[unit]}`;
}

/** Blues, teals, greens, violets and a sand: no reds or oranges, which read as errors. */
const SHARED_HUES = [205, 165, 265, 135, 295, 45, 185, 235, 95, 320];

/** A hue for each shared layer, the same in every stack that holds it. */
export function layerHue(layerId: string): number {
  let hash = 0;
  for (let index = 0; index < layerId.length; index++) hash = (hash * 31 + layerId.charCodeAt(index)) >>> 0;
  return SHARED_HUES[hash % SHARED_HUES.length] ?? 205;
}

/** A layer's drawn height in rem: bigger layers are taller, on a log scale so a 4-byte step is still readable beside a 70 MB base. */
export function layerHeightRem(bytes: number): number {
  return 2 + Math.min(2.4, Math.log10(Math.max(1, bytes)) * 0.3);
}

/** "just now", "5 minutes ago", "3 days ago": when a step ran, for a learner. */
export function age(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (!Number.isFinite(seconds)) return "at an unknown time";
  if (seconds < 45) return "just now";
  const steps: [number, string][] = [
    [60, "minute"],
    [3600, "hour"],
    [86400, "day"],
    [2592000, "month"],
    [31536000, "year"],
  ];
  let chosen: [number, string] = [60, "minute"];
  for (const step of steps) if (seconds >= step[0] * 0.75) chosen = step;
  const count = Math.max(1, Math.round(seconds / chosen[0]));
  return `${count} ${chosen[1]}${count === 1 ? "" : "s"} ago`;
}
