import type { Logger } from "@drydock/server-kit";

/** How often an agent whose gateway's port is held by another tries to take it over. */
export const STANDBY_RETRY_MS = 5_000;

export interface Standby<T> {
  /** What is running now, or undefined while another holds the port. */
  current(): T | undefined;
  /** Stops trying, and closes what runs. */
  close(): Promise<void>;
}

/**
 * Starts a host-wide gateway (one port on the sandbox network for every agent
 * of the host) and, when another agent holds it already, stands by: it tries
 * again every few seconds, so when that agent dies (kill -9 of one of several
 * agents on a host) this one takes over and the host's sandboxes keep their
 * registry and package cache. The first failure is logged with `unavailable`
 * (its hint says what to do), the take-over with `took_over`.
 */
export async function startOrStandBy<T extends { close(): Promise<void> }>(
  start: () => Promise<T>,
  options: { log: Logger; event: string; hint: string; retryMs?: number },
): Promise<Standby<T>> {
  let running: T | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const retry = () => {
    if (closed) return;
    timer = setTimeout(() => {
      start().then(
        (started) => {
          if (closed) return void started.close();
          running = started;
          options.log.info(`${options.event}.took_over`, {});
        },
        () => retry(),
      );
    }, options.retryMs ?? STANDBY_RETRY_MS);
    timer.unref();
  };
  try {
    running = await start();
  } catch (error) {
    options.log.error(`${options.event}.unavailable`, { error, hint: options.hint });
    retry();
  }
  return {
    current: () => running,
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await running?.close();
    },
  };
}
