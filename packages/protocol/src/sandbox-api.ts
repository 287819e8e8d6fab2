import { z } from "zod";
import { SANDBOX_STATES } from "./lifecycle";
import { workspaceProblem } from "./workspace";

/** The agent's HTTP API, called by the control plane only (a "manage" token). */
export const AGENT_API = {
  sandboxes: "/v1/sandboxes",
  sandbox: (id: string) => `/v1/sandboxes/${encodeURIComponent(id)}`,
  /** POST: freezes the sandbox (everything kept, its time stopped). */
  pause: (id: string) => `/v1/sandboxes/${encodeURIComponent(id)}/pause`,
  /** POST: thaws a paused sandbox; its end moves later by the time it was paused. */
  resume: (id: string) => `/v1/sandboxes/${encodeURIComponent(id)}/resume`,
  /** POST {expiresAt}: a new end, later or earlier. */
  extend: (id: string) => `/v1/sandboxes/${encodeURIComponent(id)}/extend`,
  health: "/healthz",
  metrics: "/metrics",
} as const;

/** The furthest end a sandbox may be given, from now: a workshop of several days, paused overnight. */
export const MAX_SANDBOX_END_MS = 14 * 24 * 3600 * 1000;

/** An end for a sandbox: an ISO 8601 time with a zone (e.g. 2026-11-28T17:00:00Z). Whether it is in the future is the agent's to check. */
const sandboxEndSchema = z.iso.datetime({
  offset: true,
  message: "expiresAt must be an ISO 8601 time with a zone, e.g. 2026-11-28T17:00:00Z.",
});

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
  /** When the sandbox's time ends (a workshop's end) instead of the agent's session time limit. */
  expiresAt: sandboxEndSchema.optional(),
  /** false: never removed for being idle (an attendee listening to a lecture), only at its end. */
  idleLimit: z.literal(false, { message: "idleLimit may only be false (no idle limit); leave it out for the agent's." }).optional(),
  /** The lesson's workspace: where shells start, checks run and the editor's files are (default /root/lab). */
  workspace: z
    .string()
    .superRefine((path, context) => {
      const problem = workspaceProblem(path);
      if (problem) context.addIssue({ code: "custom", message: `workspace ${problem}.` });
    })
    .optional(),
});
export type CreateSandboxRequest = z.infer<typeof createSandboxRequestSchema>;

export const sandboxInfoSchema = z.object({
  id: z.string(),
  state: z.enum(SANDBOX_STATES),
  message: z.string(),
  expiresAt: z.string().optional(),
});
export type SandboxInfo = z.infer<typeof sandboxInfoSchema>;

export const extendSandboxRequestSchema = z.object({ expiresAt: sandboxEndSchema }).strict();
export type ExtendSandboxRequest = z.infer<typeof extendSandboxRequestSchema>;

/** Every error the agent returns has this shape: what went wrong and what to do. */
export const apiErrorSchema = z.object({
  error: z.string(),
  hint: z.string().optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;
