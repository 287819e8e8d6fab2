import type { SandboxDriver } from "@drydock/engine";
import type { Logger } from "@drydock/protocol";

/** Removes sandboxes whose lifetime is over, found by their labels (so also after a restart). */
export async function reapExpired(driver: SandboxDriver, log: Logger, now = new Date()): Promise<string[]> {
  const expired = (await driver.list()).filter((sandbox) => sandbox.expiresAt <= now || sandbox.state === "gone");
  for (const sandbox of expired) {
    await driver.destroy(sandbox.id);
    log.info("sandbox.destroyed", { sandboxId: sandbox.id, by: "reaper", expiresAt: sandbox.expiresAt.toISOString() });
  }
  return expired.map((sandbox) => sandbox.id);
}

/** Runs the reaper on an interval; returns a disposer. */
export function startReaper(driver: SandboxDriver, log: Logger, intervalSeconds: number): () => void {
  const timer = setInterval(() => {
    reapExpired(driver, log).catch((error: unknown) => log.error("reaper.failed", { error }));
  }, intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
