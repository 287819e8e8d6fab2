import { z } from "zod";

/** The agent's HTTP API, called by the control plane only (a "manage" token). */
export const AGENT_API = {
  sandboxes: "/v1/sandboxes",
  sandbox: (id: string) => `/v1/sandboxes/${encodeURIComponent(id)}`,
  health: "/healthz",
  metrics: "/metrics",
} as const;

export const createSandboxRequestSchema = z.object({
  /** Who the sandbox is for; becomes a label, never a hostname or a path. */
  owner: z.string().min(1).max(128),
  /**
   * Lower limits than the agent's (a workshop sets them); a value above the
   * agent's configured maximum is capped to it. The minimums keep a sandbox usable.
   */
  limits: z
    .object({
      memoryMib: z.number().int().min(128),
      cpus: z.number().min(0.1),
      pids: z.number().int().min(64),
    })
    .partial()
    .strict()
    .optional(),
});
export type CreateSandboxRequest = z.infer<typeof createSandboxRequestSchema>;

export const sandboxInfoSchema = z.object({
  id: z.string(),
  state: z.enum(["starting", "ready", "expiring", "gone", "failed"]),
  message: z.string(),
  expiresAt: z.string().optional(),
});
export type SandboxInfo = z.infer<typeof sandboxInfoSchema>;

/** Every error the agent returns has this shape: what went wrong and what to do. */
export const apiErrorSchema = z.object({
  error: z.string(),
  hint: z.string().optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;
