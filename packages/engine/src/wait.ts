/** Polls `probe` until it returns true, or fails after `timeoutMs` with the last reason. */
export async function waitUntil(
  probe: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs: number; what: string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : "";
      throw new Error(`Timed out after ${options.timeoutMs} ms waiting for ${options.what}${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}
