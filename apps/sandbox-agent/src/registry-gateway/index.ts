import type { Logger } from "@drydock/server-kit";
import { startOrStandBy } from "../standby";
import { registryEnvironment, registryKey } from "./credentials";
import { startRegistryGateway } from "./gateway";

export interface RegistrySettings {
  /** The sandbox network's gateway address, which sandboxes know as drydock-registry. */
  address: string;
  port: number;
  upstream: string;
  /** A Docker Hub pull-through mirror for what the registry does not hold (provision's drydock-hub-mirror). */
  hubMirror?: string;
}

export interface AgentRegistry {
  /** Where the gateway listens, or undefined while it could not start (another agent of the host may serve it). */
  readonly url: string | undefined;
  /** The registry variables of a learner's sandbox (DRYDOCK_REGISTRY, DRYDOCK_USER, DRYDOCK_PASSWORD). */
  sandboxEnv(owner: string): Record<string, string>;
  close(): Promise<void>;
}

/**
 * The agent's part of the registry: the gateway sandboxes push and pull
 * through, and their credentials. A gateway that cannot start is logged and
 * the agent serves on: terminals and checks do not need it, and on a host
 * where another agent (same checkout, same secret) already serves it, that
 * one answers this agent's sandboxes too, and this one takes over if it dies.
 */
export async function serveRegistry(settings: RegistrySettings, secret: string, log: Logger): Promise<AgentRegistry> {
  const key = registryKey(secret);
  const gateway = await startOrStandBy(
    () =>
      startRegistryGateway({
        host: settings.address,
        port: settings.port,
        upstream: settings.upstream,
        hubMirror: settings.hubMirror,
        key,
        log,
      }),
    {
      log,
      event: "registry_gateway",
      hint:
        "If another Drydock agent on this host holds the port, this agent's sandboxes use that gateway (their logins work only " +
        "if both agents share DRYDOCK_AGENT_SECRET) and this agent takes over if that one stops; otherwise sandboxes can neither " +
        "pull nor push: free the port.",
    },
  );
  return {
    get url() {
      return gateway.current()?.url;
    },
    sandboxEnv: (owner) => registryEnvironment(key, owner),
    close: () => gateway.close(),
  };
}
