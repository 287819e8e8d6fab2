import type { Ack } from "./result";

/**
 * Ports a learner's programs listen on inside their sandbox, and the preview
 * proxy that reaches them. Loaded by the browser too: types and constants
 * only (the schemas are in ports-schemas.ts).
 */
/** A TCP port listening inside a sandbox, as the engine discovers it and the agent reports it. */
export interface ListeningPort {
  port: number;
  protocol: "tcp";
  /** The process holding the socket, e.g. `python3` or `docker-proxy`. */
  process?: string;
  /** The inner engine's container that published the port (`docker run -p port:targetPort`). */
  container?: PublishingContainer;
  /** Listening on a loopback address only: the preview cannot reach it until the app listens on 0.0.0.0. */
  localOnly?: true;
}

export interface PublishingContainer {
  id: string;
  name: string;
  image: string;
  /** The port inside the container that the published port forwards to. */
  targetPort: number;
}

export interface PortInfo extends ListeningPort {
  /** The owner's link that opens the preview (added by the web app; agents do not know it). */
  url?: string;
}

/** Pushed while watching: the whole list, and what changed since the last push (since nothing, on the first). */
export interface PortsChanged<Port extends ListeningPort = PortInfo> {
  ports: Port[];
  appeared: Port[];
  disappeared: Port[];
}

/** Requests carry no parameters yet; an object leaves room for some. */
export type PortsRequest = Record<string, never>;

export interface PortsClientEvents {
  /** The ports listening now. */
  "ports:list": (request: PortsRequest, ack: Ack<PortInfo[]>) => void;
  /** The ports listening now, then `ports:changed` on every change until `ports:unwatch` or disconnect. */
  "ports:watch": (request: PortsRequest, ack: Ack<PortInfo[]>) => void;
  "ports:unwatch": (request: PortsRequest, ack: Ack<null>) => void;
}

export interface PortsServerEvents {
  "ports:changed": (change: PortsChanged) => void;
}

export const MIN_PREVIEW_PORT = 1;
export const MAX_PREVIEW_PORT = 65535;

export function isPreviewPort(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= MIN_PREVIEW_PORT && value <= MAX_PREVIEW_PORT;
}

/**
 * The agent's preview proxy: `<method> /v1/sandboxes/:id/ports/:port/http/<path>`
 * reaches `<path>` on the sandbox's port, HTTP and WebSocket alike. The
 * caller (the web gateway) proves a right of at least "read" on the sandbox
 * with a token in this header; the header never reaches the learner's app.
 */
export const PREVIEW_TOKEN_HEADER = "x-drydock-token";

const PREVIEW_PATH = /^\/v1\/sandboxes\/([^/?]+)\/ports\/(\d{1,5})\/http(\/.*)?$/s;

/** `pathAndQuery` must start with "/". */
export function agentPreviewPath(sandboxId: string, port: number, pathAndQuery: string): string {
  return `/v1/sandboxes/${encodeURIComponent(sandboxId)}/ports/${port}/http${pathAndQuery}`;
}

export function parseAgentPreviewPath(url: string): { sandboxId: string; port: number; pathAndQuery: string } | undefined {
  const match = PREVIEW_PATH.exec(url);
  if (!match?.[1] || !match[2]) return undefined;
  const port = Number(match[2]);
  if (!isPreviewPort(port)) return undefined;
  try {
    return { sandboxId: decodeURIComponent(match[1]), port, pathAndQuery: match[3] ?? "/" };
  } catch {
    return undefined;
  }
}
