import { z } from "zod";

/** Port requests carry no parameters; anything else in them is refused rather than ignored. */
export const portsRequestSchema = z.object({}).strict();
