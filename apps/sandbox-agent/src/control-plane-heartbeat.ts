import { readFile } from "node:fs/promises";
import { availableParallelism, freemem, loadavg } from "node:os";
import { AGENT_HEARTBEAT_INTERVAL_MS, AGENT_HEARTBEAT_PATH, type AgentCapacity, type AgentHeartbeat } from "@drydock/protocol";
import type { Logger } from "@drydock/server-kit";
import { backoffMs } from "./backoff";
import { controlPlaneRefusal } from "./control-plane-refusal";

export interface HeartbeatOptions {
  controlPlaneUrl: string;
  credential: string;
  /** Where web nodes reach the agent; undefined: through the tunnels it dials (control-plane-tunnel.ts). */
  publicUrl: string | undefined;
  labels: Record<string, string>;
  /** The agent's own counts; the host's memory, CPUs and load are read here. */
  counts(): Pick<AgentCapacity, "sandboxes" | "readySeats" | "maxSandboxes">;
  log: Logger;
  intervalMs?: number;
}

/** A failed report is tried again sooner than the control plane gives up on the agent (AGENT_DOWN_AFTER_MS), then less often. */
const RETRY = { firstMs: 1_000, maxMs: 10_000 };
const REQUEST_TIMEOUT_MS = 5_000;

/** `zone=a,size=m` as labels (AGENT_LABELS, validated by config.ts). */
export function parseLabels(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split(",")
      .filter(Boolean)
      .map((pair) => pair.split("=") as [string, string]),
  );
}

/** MemAvailable (what the host can give without swapping); os.freemem() where /proc/meminfo is not there. */
async function availableMemoryBytes(): Promise<number> {
  const meminfo = await readFile("/proc/meminfo", "utf8").catch(() => "");
  const kib = meminfo.match(/^MemAvailable:\s+(\d+) kB$/m)?.[1];
  return kib ? Number(kib) * 1024 : freemem();
}

async function capacity(options: HeartbeatOptions): Promise<AgentCapacity> {
  return {
    freeMemoryBytes: await availableMemoryBytes(),
    cpus: availableParallelism(),
    load: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    ...options.counts(),
  };
}

/**
 * Reports to the control plane every few seconds for the life of the agent.
 * The agent dials out: its host needs no inbound port for the control plane
 * to know it. A refused or failed report is logged (once per change of
 * reason) and tried again with backoff; nothing here ever stops the agent.
 */
export function startHeartbeat(options: HeartbeatOptions): { stop(): void } {
  const { log } = options;
  const url = new URL(AGENT_HEARTBEAT_PATH, options.controlPlaneUrl);
  const interval = options.intervalMs ?? AGENT_HEARTBEAT_INTERVAL_MS;
  let failures = 0;
  let lastProblem: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function beat(): Promise<void> {
    const heartbeat: AgentHeartbeat = {
      ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
      labels: options.labels,
      capacity: await capacity(options),
    };
    const response = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${options.credential}`, "content-type": "application/json" },
      body: JSON.stringify(heartbeat),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`The control plane refused the heartbeat (${response.status}): ${controlPlaneRefusal(text)}`);
    }
  }

  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => void tick(), delayMs);
    timer.unref();
  };

  async function tick(): Promise<void> {
    try {
      await beat();
      if (failures > 0 || lastProblem === undefined) log.info("heartbeat.connected", { controlPlane: url.origin, afterFailures: failures });
      failures = 0;
      lastProblem = "";
      schedule(interval);
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      failures += 1;
      const retryMs = backoffMs(failures - 1, RETRY);
      if (problem !== lastProblem) {
        log.warn("heartbeat.failed", {
          controlPlane: url.origin,
          error: problem,
          retryMs,
          hint: "Check CONTROL_PLANE_URL and DRYDOCK_AGENT_CREDENTIAL; the control plane marks this agent down after 15 s without a heartbeat.",
        });
      }
      lastProblem = problem;
      schedule(retryMs);
    }
  }

  void tick();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
