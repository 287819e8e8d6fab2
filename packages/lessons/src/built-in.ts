import { fileURLToPath } from "node:url";

/** The folder of the lessons that ship with Drydock (one sub-folder per lesson). */
export const BUILT_IN_LESSONS_DIR = fileURLToPath(new URL("../lessons", import.meta.url));
