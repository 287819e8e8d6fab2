import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { round } from "./stats";

/**
 * How long this process itself stalled while `work` ran: its event loop's
 * delay and its garbage collector's pauses. A benchmark whose clients share
 * one process measures their stalls along with the product's: this tells
 * the two apart.
 */
export async function ownStallsDuring<T>(work: () => Promise<T>): Promise<{ result: T; stalls: OwnStalls }> {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const pauses: number[] = [];
  const collector = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push(entry.duration);
  });
  collector.observe({ entryTypes: ["gc"] });
  loop.enable();
  try {
    const result = await work();
    return {
      result,
      stalls: {
        eventLoopDelayMs: { p99: round(loop.percentile(99) / 1e6), max: round(loop.max / 1e6) },
        gcPauseMs: { count: pauses.length, total: round(pauses.reduce((sum, ms) => sum + ms, 0)), max: round(Math.max(0, ...pauses)) },
      },
    };
  } finally {
    loop.disable();
    collector.disconnect();
  }
}

export interface OwnStalls {
  eventLoopDelayMs: { p99: number; max: number };
  gcPauseMs: { count: number; total: number; max: number };
}
