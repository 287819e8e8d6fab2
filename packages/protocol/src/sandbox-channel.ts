import type { CheckClientEvents } from "./checks";
import type { FilesClientEvents, FilesServerEvents } from "./files";
import type { ImagesClientEvents, ImagesServerEvents } from "./images";
import type { LifecycleServerEvents } from "./lifecycle";
import type { PortsClientEvents, PortsServerEvents } from "./ports";
import type { StepClientEvents } from "./steps";

/**
 * One socket per sandbox (namespace /sandbox) for everything but terminal
 * bytes: checks, files, ports, images, life-cycle events. Requests use socket.io
 * acknowledgements and answer with a Reply; pushes are plain events.
 * The handshake carries the same auth as a terminal: {token, sandboxId}.
 */
export const SANDBOX_NAMESPACE = "/sandbox";

export type SandboxClientEvents = CheckClientEvents & PortsClientEvents & FilesClientEvents & ImagesClientEvents & StepClientEvents;

export type SandboxServerEvents = LifecycleServerEvents & PortsServerEvents & FilesServerEvents & ImagesServerEvents;
