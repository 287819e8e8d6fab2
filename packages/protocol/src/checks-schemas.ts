import { z } from "zod";
import { type CheckRequest, MAX_CHECK_SCRIPT, MAX_CHECK_TIMEOUT_MS } from "./checks";

export const checkRequestSchema: z.ZodType<CheckRequest> = z.object({
  script: z.string().min(1).max(MAX_CHECK_SCRIPT),
  timeoutMs: z.number().int().min(100).max(MAX_CHECK_TIMEOUT_MS).optional(),
});
