import { z } from "zod";
import { type AgentTerminalAuth, type BrowserTerminalAuth, MAX_INPUT_CHUNK, OUTPUT_HIGH_WATER_BYTES, type TerminalSize } from "./terminal";

/** Validation of everything that arrives over a terminal socket: none of it is trusted. */
export const terminalSizeSchema: z.ZodType<TerminalSize> = z.object({
  cols: z.number().int().min(2).max(1000),
  rows: z.number().int().min(1).max(500),
});

/** What a receiver asks for: see OutputAcks. */
export const outputAcksSchema = z.literal("consumed");

const terminalNameSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "1-32 lowercase letters, digits and dashes");

export const agentTerminalAuthSchema: z.ZodType<AgentTerminalAuth> = z.object({
  token: z.string().min(1),
  sandboxId: z.string().min(1),
  terminal: terminalNameSchema.optional(),
  size: terminalSizeSchema.optional(),
  acks: outputAcksSchema.optional(),
});

export const browserTerminalAuthSchema: z.ZodType<BrowserTerminalAuth> = z.object({
  sessionId: z.string().min(1).max(100),
  terminal: terminalNameSchema.optional(),
  size: terminalSizeSchema.optional(),
  acks: outputAcksSchema.optional(),
});

export const terminalInputSchema = z.string().max(MAX_INPUT_CHUNK);

/** A report of consumed output: never more than a sender may have outstanding at once. */
export const consumedBytesSchema = z
  .number()
  .int()
  .positive()
  .max(4 * OUTPUT_HIGH_WATER_BYTES);
