import { z } from "zod";

/** Where an agent reports to the control plane (a POST with `Authorization: Bearer <its credential>`). */
export const AGENT_HEARTBEAT_PATH = "/api/agents/heartbeat";

/** How often an agent reports; the control plane marks it down after AGENT_DOWN_AFTER_MS without a report. */
export const AGENT_HEARTBEAT_INTERVAL_MS = 3_000;
/**
 * Four missed reports. A machine's last report came up to one interval before it died, and the
 * sweep and the page's check take a second each, so its learners hear within 15 s of its death.
 */
export const AGENT_DOWN_AFTER_MS = 12_000;

/** What a machine offers: the control plane places sandboxes by it. */
export const agentCapacitySchema = z
  .object({
    /** Memory the host can still give (MemAvailable), in bytes. */
    freeMemoryBytes: z.number().int().min(0),
    /** CPUs of the host. */
    cpus: z.number().int().min(1),
    /** The host's one-minute load average. */
    load: z.number().min(0),
    /** Learners' sandboxes the agent holds (not counting its pool). */
    sandboxes: z.number().int().min(0),
    /** Started sandboxes waiting in its pool: a start placed here is instant. */
    readySeats: z.number().int().min(0),
    /** The most learners' sandboxes it takes. */
    maxSandboxes: z.number().int().min(0),
  })
  .strict();

export type AgentCapacity = z.infer<typeof agentCapacitySchema>;

/** Labels an operator gives a machine (AGENT_LABELS=zone=a,size=m). */
export const agentLabelsSchema = z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/), z.string().max(63));

export const agentHeartbeatSchema = z
  .object({
    /** Where web nodes reach the agent's API and sockets; absent: through the tunnels it dials (agent-tunnel.ts). */
    publicUrl: z.url({ protocol: /^https?$/ }).optional(),
    labels: agentLabelsSchema,
    capacity: agentCapacitySchema,
  })
  .strict();

export type AgentHeartbeat = z.infer<typeof agentHeartbeatSchema>;

/** The control plane's answer to an accepted heartbeat. */
export interface AgentHeartbeatAnswer {
  agentId: string;
  name: string;
}
