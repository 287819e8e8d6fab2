import { randomBytes } from "node:crypto";
import Docker from "dockerode";
import { LABEL } from "../labels";
import { networkGateway } from "../network";

/**
 * A bridge network of a test's own: its sandboxes reach the host at its
 * gateway address, where the test serves the registry on the port the sandbox
 * image expects (5000) without colliding with a running agent or another
 * test run, each of which owns another network's gateway address.
 */
export interface TestNetwork {
  name: string;
  gateway: string;
  /** Removes the network; its sandboxes must be gone first. */
  remove(): Promise<void>;
}

export async function createTestNetwork(docker: Docker = new Docker()): Promise<TestNetwork> {
  const name = `drydock-test-${randomBytes(4).toString("hex")}`;
  const network = await docker.createNetwork({
    Name: name,
    Driver: "bridge",
    Labels: { [LABEL.managed]: "true", [LABEL.role]: "test-network" },
  });
  try {
    const gateway = await networkGateway(name, docker);
    return { name, gateway, remove: () => network.remove() };
  } catch (error) {
    await network.remove().catch(() => {});
    throw error;
  }
}
