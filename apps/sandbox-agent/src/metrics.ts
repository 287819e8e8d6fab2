import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * What /metrics reports, in Prometheus text format. One instance per agent.
 * With Node's own: the event loop's delay (`nodejs_eventloop_lag_*`, over the
 * time since the last scrape) and garbage collection, where a keystroke's
 * echo waits when the agent stalls.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    sandboxes: new Gauge({
      name: "drydock_sandboxes",
      help: "Sandboxes by life-cycle state",
      labelNames: ["state"],
      registers: [registry],
    }),
    poolSize: new Gauge({ name: "drydock_pool_size", help: "Started, unassigned sandboxes in the warm pool", registers: [registry] }),
    startSeconds: new Histogram({
      name: "drydock_sandbox_start_seconds",
      help: "Time from a start request to a ready sandbox",
      labelNames: ["source"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    terminals: new Gauge({ name: "drydock_terminals_active", help: "Attached terminal connections", registers: [registry] }),
    terminalBytes: new Counter({
      name: "drydock_terminal_bytes_total",
      help: "Terminal bytes streamed",
      labelNames: ["direction"],
      registers: [registry],
    }),
  };
}

export type AgentMetrics = ReturnType<typeof createMetrics>;
