import { readFileSync } from "node:fs";

/** The learner's shell integration (OSC 133 marks; see the comment at its top). Shipped with the engine, so it never depends on the image. */
const SCRIPT = readFileSync(new URL("./shell-integration.sh", import.meta.url), "utf8");

/**
 * Environment of a terminal's tmux: every interactive bash it starts loads the
 * integration at its first prompt (after ~/.bashrc) and then drops both
 * variables from its environment.
 */
export const SHELL_INTEGRATION_ENV: readonly string[] = [
  `DRYDOCK_SHELL_INTEGRATION=${SCRIPT}`,
  'PROMPT_COMMAND=eval "$DRYDOCK_SHELL_INTEGRATION"',
];
