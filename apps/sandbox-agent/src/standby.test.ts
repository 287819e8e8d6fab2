import { createServer, type Server } from "node:net";
import { createLogger } from "@drydock/server-kit";
import { afterEach, describe, expect, it } from "vitest";
import { startOrStandBy } from "./standby";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A real listener on one port, as a gateway is; it fails to start while another holds the port. */
function listenOn(port: number): () => Promise<{ port: number; close(): Promise<void> }> {
  return () =>
    new Promise((resolve, reject) => {
      const server: Server = createServer();
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () =>
        resolve({
          port: (server.address() as { port: number }).port,
          close: () => new Promise<void>((done) => server.close(() => done())),
        }),
      );
    });
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("a host-wide gateway held by another agent", () => {
  it("stands by, and takes the port over once its holder stops", async () => {
    const lines: { event: string; hint?: string }[] = [];
    const log = createLogger("test", (line) => lines.push(JSON.parse(line)));
    const holder = await startOrStandBy(listenOn(0), { log, event: "gw", hint: "free the port", retryMs: 50 });
    const port = holder.current()?.port as number;
    const standby = await startOrStandBy(listenOn(port), { log, event: "gw", hint: "free the port", retryMs: 50 });
    cleanups.push(
      () => standby.close(),
      () => holder.close(),
    );
    expect(standby.current()).toBeUndefined();
    expect(lines).toEqual([expect.objectContaining({ event: "gw.unavailable", hint: "free the port" })]);

    await holder.close();
    await until(() => standby.current() !== undefined, "the stand-by to take the port over");
    expect(standby.current()?.port).toBe(port);
    expect(lines.map((line) => line.event)).toEqual(["gw.unavailable", "gw.took_over"]);
  });

  it("stops trying once closed", async () => {
    const log = createLogger("test", () => {});
    const holder = await startOrStandBy(listenOn(0), { log, event: "gw", hint: "", retryMs: 20 });
    cleanups.push(() => holder.close());
    const port = holder.current()?.port as number;
    let attempts = 0;
    const counted = listenOn(port);
    const standby = await startOrStandBy(
      () => {
        attempts += 1;
        return counted();
      },
      { log, event: "gw", hint: "", retryMs: 20 },
    );
    await until(() => attempts >= 3, "a few attempts");
    await standby.close();
    const after = attempts;
    await holder.close();
    // Closed: the freed port is not taken.
    const again = await listenOn(port)();
    await again.close();
    expect(attempts - after).toBeLessThanOrEqual(1);
    expect(standby.current()).toBeUndefined();
  });
});
