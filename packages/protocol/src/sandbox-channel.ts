import type { CheckClientEvents } from "./checks";

/**
 * One socket per sandbox (namespace /sandbox) for everything but terminal
 * bytes: checks, files, ports, life-cycle events. Requests use socket.io
 * acknowledgements and answer with a Reply; pushes are plain events.
 * The handshake carries the same auth as a terminal: {token, sandboxId}.
 */
export const SANDBOX_NAMESPACE = "/sandbox";

export type SandboxClientEvents = CheckClientEvents;

// biome-ignore lint/complexity/noBannedTypes: features add their pushes here.
export type SandboxServerEvents = {};
