/** The p-th percentile (nearest rank) of the samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error("percentile of no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** Two decimals: what the benchmarks print. */
export const round = (value: number): number => Math.round(value * 100) / 100;

/** The given percentiles of the samples, rounded, as {p50: …, p95: …}. */
export function summarize(samples: readonly number[], ...ps: number[]): Record<`p${number}`, number> {
  return Object.fromEntries(ps.map((p) => [`p${p}`, round(percentile(samples, p))]));
}
