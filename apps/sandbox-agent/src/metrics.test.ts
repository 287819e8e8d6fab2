import { describe, expect, it } from "vitest";
import { createMetrics } from "./metrics";

describe("the agent's metrics", () => {
  it("report the event loop's delay and garbage collection beside the agent's own", async () => {
    const metrics = createMetrics();
    metrics.terminals.inc();
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^drydock_terminals_active 1$/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_max_seconds \d/m);
    expect(text).toContain("nodejs_gc_duration_seconds");
  });

  it("keeps each agent's own counts apart when several run in one process (the tests' agents)", async () => {
    const first = createMetrics();
    const second = createMetrics();
    first.terminals.inc(2);
    expect(await second.registry.metrics()).toMatch(/^drydock_terminals_active 0$/m);
  });
});
