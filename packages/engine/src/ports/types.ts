import type { ListeningPort, PortsChanged } from "@drydock/protocol";

// The shapes the engine reports are the wire's, declared once in @drydock/protocol.
export type { ListeningPort, PublishingContainer } from "@drydock/protocol";

/** A change to a sandbox's ports, relative to what the listener saw before (nothing, on its first call). */
export type PortsChange = PortsChanged<ListeningPort>;

/** Where the agent's host reaches a sandbox's port. */
export interface PortEndpoint {
  host: string;
  port: number;
}
