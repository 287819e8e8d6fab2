import Docker from "dockerode";
import { EngineError, explainDockerError } from "./errors";

/**
 * How the sandbox image's dockerd addresses the registry (images/sandbox/daemon.json:
 * mirror and insecure registry). The name resolves, through each sandbox's
 * /etc/hosts, to the address the driver is given as `registryAddress`.
 */
export const SANDBOX_REGISTRY = { host: "drydock-registry", port: 5000 } as const;

/**
 * The host's own address on a bridge network (its IPAM gateway): what a
 * container on that network reaches the host at, so where the host serves
 * sandboxes (the registry gateway).
 */
export async function networkGateway(network: string, docker: Docker = new Docker()): Promise<string> {
  let info: Docker.NetworkInspectInfo;
  try {
    info = await docker.getNetwork(network).inspect();
  } catch (error) {
    throw explainDockerError(error, { network });
  }
  const gateway = info.IPAM?.Config?.map((config) => config.Gateway).find((address) => address && !address.includes(":"));
  if (!gateway) {
    throw new EngineError(
      `The network ${network} has no IPv4 gateway address (driver ${info.Driver}).`,
      "Sandboxes need a bridge network; recreate it with `npm run provision`.",
      "network-missing",
    );
  }
  return gateway;
}
