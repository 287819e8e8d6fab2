/** How long to wait before try number `failures + 1`: doubling from `firstMs`, never above `maxMs`. */
export function backoffMs(failures: number, { firstMs, maxMs }: { firstMs: number; maxMs: number }): number {
  return Math.min(firstMs * 2 ** Math.max(0, failures), maxMs);
}
