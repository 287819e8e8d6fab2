/** A TCP port listening inside a sandbox, as the engine discovers it. */
export interface ListeningPort {
  port: number;
  protocol: "tcp";
  /** The name of the process holding the socket (e.g. `python3`, `docker-proxy`), when known. */
  process?: string;
  /** The inner engine's container that published this port (`docker run -p port:targetPort`). */
  container?: PublishingContainer;
  /**
   * Bound to a loopback address only, so nothing outside the sandbox (the
   * preview proxy included) can reach it: the app must listen on 0.0.0.0.
   */
  localOnly?: true;
}

export interface PublishingContainer {
  id: string;
  name: string;
  image: string;
  /** The port inside the container that the published port forwards to. */
  targetPort: number;
}

/** A change to a sandbox's ports, relative to what the listener saw before (nothing, on its first call). */
export interface PortsChange {
  ports: ListeningPort[];
  appeared: ListeningPort[];
  disappeared: ListeningPort[];
}

/** Where the agent's host reaches a sandbox's port. */
export interface PortEndpoint {
  host: string;
  port: number;
}
