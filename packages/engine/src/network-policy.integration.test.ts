import { execFile } from "node:child_process";
import { promisify } from "node:util";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyNetworkPolicy, removeNetworkPolicy } from "./network-policy";
import { createTestNetwork, type TestNetwork } from "./testing/test-network";

/**
 * The firewall on a real sandbox network, applied by several agents at once
 * as they start on one host: each chain must come out whole and in order.
 */
const run = promisify(execFile);
let network: TestNetwork;
let chains: { forward: string; input: string };

beforeAll(async () => {
  network = await createTestNetwork();
  const id = (await new Docker().getNetwork(network.name).inspect()).Id.slice(0, 12);
  chains = { forward: `DRYDOCK-FWD-${id}`, input: `DRYDOCK-IN-${id}` };
});

afterAll(async () => {
  await removeNetworkPolicy(network.name);
  await network.remove();
});

const rulesOf = async (chain: string) => (await run("iptables", ["-w", "5", "-S", chain])).stdout.trim().split("\n");

describe("the sandbox network's firewall", () => {
  it("comes out whole and in order when eight agents apply it at the same moment", async () => {
    const policy = { network: network.name, gateway: network.gateway, registryPort: 5000, egress: "internet" as const, dnsServers: [] };
    await applyNetworkPolicy(policy);
    const once = { forward: await rulesOf(chains.forward), input: await rulesOf(chains.input) };
    expect(once.input[1]).toContain("--ctstate RELATED,ESTABLISHED");

    await Promise.all(Array.from({ length: 8 }, () => applyNetworkPolicy(policy)));

    expect(await rulesOf(chains.forward)).toEqual(once.forward);
    expect(await rulesOf(chains.input)).toEqual(once.input);
  });
});
