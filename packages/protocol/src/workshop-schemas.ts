import { z } from "zod";
import { outputAcksSchema, terminalSizeSchema } from "./terminal-schemas";
import { MAX_BANNER_CHARS, PRESENTER_TARGET } from "./workshop";

const id = z.string().min(1).max(100);

export const workshopAuthSchema = z.object({ workshopId: id });
export const watchAuthSchema = z.object({
  workshopId: id,
  target: z.union([z.literal(PRESENTER_TARGET), id]),
  mode: z.enum(["read", "write"]),
  size: terminalSizeSchema.optional(),
  acks: outputAcksSchema.optional(),
});
export const stepViewedSchema = z.object({ lessonId: id, stepId: id });
export const prepareSeatsSchema = z.object({ count: z.number().int().min(1).max(500) });
export const roomMessageSchema = z.object({
  text: z.string().trim().min(1, "The message is empty.").max(MAX_BANNER_CHARS, `A message holds at most ${MAX_BANNER_CHARS} characters.`),
  seatId: id.optional(),
});
export const roomExtendSchema = z.object({
  minutes: z
    .number()
    .int()
    .min(-240)
    .max(24 * 60),
  seatId: id.optional(),
});
export const roomStateSchema = z.object({ state: z.enum(["open", "running"]) });
export const presentSchema = z.object({ on: z.boolean() });
export const seatRequestSchema = z.object({ seatId: id });
export const seatFileSchema = z.object({ seatId: id, path: z.string().min(1).max(4096) });
export const handRequestSchema = z.object({ handId: id });
