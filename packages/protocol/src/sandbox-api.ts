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
