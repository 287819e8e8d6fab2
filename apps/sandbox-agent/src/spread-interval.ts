import { type Disposable, toDisposable } from "@drydock/engine";

/**
 * Runs `tick` every `intervalMs`, the first time after a random part of an
 * interval. Agents sharing a host (several fleets on one machine) then do
 * their periodic work at different moments: bench:cluster's three agents,
 * started together, swept together, and every learner's keystrokes waited
 * at once.
 */
export function spreadInterval(intervalMs: number, tick: () => void, random: () => number = Math.random): Disposable {
  let timer = setTimeout(() => {
    timer = setInterval(tick, intervalMs);
    timer.unref();
    tick();
  }, random() * intervalMs);
  timer.unref();
  // One Timeout class serves both: clearTimeout ends an interval too.
  return toDisposable(() => clearTimeout(timer));
}
