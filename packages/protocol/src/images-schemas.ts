import { z } from "zod";

/** Image requests carry no parameters; anything else in them is refused rather than ignored. */
export const imagesRequestSchema = z.object({}).strict();
