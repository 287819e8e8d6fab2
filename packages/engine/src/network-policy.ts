import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import Docker from "dockerode";
import { EngineError, explainDockerError } from "./errors";

const run = promisify(execFile);

export type SandboxEgress = "internet" | "none";

export interface NetworkPolicy {
  /** The sandboxes' bridge network. */
  network: string;
  /** The network's gateway address, where the registry gateway listens. */
  gateway: string;
  registryPort: number;
  /** The package-cache gateway's port on the gateway address (package-cache.ts), if the agent serves it. */
  packageCachePort?: number;
  /** "internet": public addresses are reachable; "none": nothing beyond the registry and the package cache. */
  egress: SandboxEgress;
  /**
   * The name servers sandboxes may query on port 53. Docker's embedded DNS
   * forwards a container's queries from the container's own network namespace
   * to the host's name servers, which are often in a private range. Default:
   * the IPv4 name servers of the host's /etc/resolv.conf.
   */
  dnsServers?: string[];
}

/** Every rule carries this comment, so Drydock's rules are found again and no one else's are touched. */
const COMMENT = "drydock";

/**
 * Addresses a sandbox never reaches, whatever the egress setting: link-local
 * (cloud metadata at 169.254.169.254), private and shared ranges (the host's
 * LAN, other Docker networks and their published ports), loopback, multicast
 * and reserved.
 */
export const BLOCKED_RANGES = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "224.0.0.0/4",
  "240.0.0.0/4",
] as const;

/**
 * The host firewall for one sandbox network, installed idempotently (each
 * call replaces the network's two chains and makes sure they are jumped to):
 *
 * - forwarded traffic from the bridge (DOCKER-USER, which Docker evaluates
 *   before its own rules and never flushes): nothing to another sandbox on the
 *   bridge, nothing to the blocked ranges, and with egress "none" nothing at all;
 * - traffic to the host itself from the bridge (INPUT): only replies, and the
 *   registry and package-cache gateways on the gateway address; the agent's
 *   API, the web app and every other host service are refused.
 *
 * Rejected rather than dropped, so a learner's command fails at once instead
 * of hanging. Needs root and iptables-restore (the agent runs as root).
 *
 * Both chains are replaced in one iptables-restore commit: several agents on
 * one host share the network and apply it as each starts, and a flush followed
 * by rules appended one command at a time interleaved between them, leaving
 * "reject all TCP" ahead of "replies pass" (every connection from the host to a
 * sandbox, a port preview's among them, then hung) and, between the flush and
 * the last rule, a moment with no policy at all.
 */
export async function applyNetworkPolicy(policy: NetworkPolicy, docker: Docker = new Docker()): Promise<void> {
  const chains = await chainsOf(policy.network, docker);
  const dnsServers = policy.dnsServers ?? (await hostNameServers());
  await iptablesRestore(policyRules(policy, chains, dnsServers));
  const tag = ["-m", "comment", "--comment", COMMENT];
  await ensureJump("DOCKER-USER", ["-i", chains.bridge, ...tag, "-j", chains.forward]);
  await ensureJump("INPUT", ["-i", chains.bridge, ...tag, "-j", chains.input]);
}

/**
 * The network's two chains as iptables-restore input for `--noflush`: each
 * chain declared is created or emptied, and its rules are written in the same
 * commit. Pure: the rules of one network, in the order they are evaluated.
 */
export function policyRules(
  policy: Pick<NetworkPolicy, "gateway" | "registryPort" | "packageCachePort" | "egress">,
  { bridge, forward, input }: { bridge: string; forward: string; input: string },
  dnsServers: string[],
): string {
  const tag = `-m comment --comment ${COMMENT}`;
  const reject = "-j REJECT --reject-with icmp-port-unreachable";
  const rules = [`-A ${forward} -o ${bridge} ${tag} ${reject}`];
  for (const server of dnsServers) {
    for (const protocol of ["udp", "tcp"]) rules.push(`-A ${forward} -d ${server} -p ${protocol} --dport 53 ${tag} -j RETURN`);
  }
  for (const range of BLOCKED_RANGES) rules.push(`-A ${forward} -d ${range} ${tag} ${reject}`);
  if (policy.egress === "none") rules.push(`-A ${forward} ${tag} ${reject}`);
  rules.push(`-A ${forward} ${tag} -j RETURN`);

  rules.push(`-A ${input} -m conntrack --ctstate ESTABLISHED,RELATED ${tag} -j RETURN`);
  for (const port of [policy.registryPort, policy.packageCachePort]) {
    if (port !== undefined) rules.push(`-A ${input} -d ${policy.gateway} -p tcp --dport ${port} ${tag} -j RETURN`);
  }
  rules.push(`-A ${input} -p tcp ${tag} -j REJECT --reject-with tcp-reset`);
  rules.push(`-A ${input} ${tag} ${reject}`);
  return ["*filter", `:${forward} - [0:0]`, `:${input} - [0:0]`, ...rules, "COMMIT", ""].join("\n");
}

/** Removes a network's policy (a test network's, before the network goes). Safe to call twice. */
export async function removeNetworkPolicy(network: string, docker: Docker = new Docker()): Promise<void> {
  const { bridge, forward, input } = await chainsOf(network, docker);
  const tag = ["-m", "comment", "--comment", COMMENT];
  for (const [parent, chain] of [
    ["DOCKER-USER", forward],
    ["INPUT", input],
  ] as const) {
    const jump = ["-i", bridge, ...tag, "-j", chain];
    while (await succeeds("-C", parent, ...jump)) await iptables("-D", parent, ...jump);
    if (await succeeds("-n", "-L", chain)) {
      await iptables("-F", chain);
      await iptables("-X", chain);
    }
  }
}

async function hostNameServers(): Promise<string[]> {
  const text = await readFile("/etc/resolv.conf", "utf8").catch(() => "");
  return [...text.matchAll(/^\s*nameserver\s+(\d{1,3}(?:\.\d{1,3}){3})\s*$/gm)].flatMap((match) => (match[1] ? [match[1]] : []));
}

/** The network's Linux bridge and the names of its chains (at most 28 characters). */
async function chainsOf(network: string, docker: Docker): Promise<{ bridge: string; forward: string; input: string }> {
  let info: Docker.NetworkInspectInfo;
  try {
    info = await docker.getNetwork(network).inspect();
  } catch (error) {
    throw explainDockerError(error, { network });
  }
  if (info.Driver !== "bridge") {
    throw new EngineError(
      `The sandbox network ${network} uses the ${info.Driver} driver; the network policy needs a bridge.`,
      "Recreate it with `npm run provision`.",
      "network-missing",
    );
  }
  const id = info.Id.slice(0, 12);
  const bridge = info.Options?.["com.docker.network.bridge.name"] ?? `br-${id}`;
  return { bridge, forward: `DRYDOCK-FWD-${id}`, input: `DRYDOCK-IN-${id}` };
}

/** First in its parent chain, once. */
async function ensureJump(parent: string, rule: string[]): Promise<void> {
  if (!(await succeeds("-C", parent, ...rule))) await iptables("-I", parent, "1", ...rule);
}

/** Applies iptables-restore input to the filter table in one commit, keeping every chain it does not declare. */
function iptablesRestore(input: string): Promise<void> {
  return xtables("iptables-restore", ["--noflush"], input);
}

function iptables(...args: string[]): Promise<void> {
  return xtables("iptables", args);
}

/** Runs an iptables command (with `input` on its stdin); a failure is an EngineError with its stderr and the fix. */
async function xtables(command: string, args: string[], input?: string): Promise<void> {
  try {
    // -w: wait for the xtables lock that Docker holds while it edits its own rules.
    const running = run(command, ["-w", "5", ...args]);
    if (input !== undefined) running.child.stdin?.end(input);
    await running;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new EngineError(
      `${command} ${args.join(" ")} failed${stderr ? `: ${stderr}` : ""}.`,
      "The sandbox agent installs the sandboxes' firewall and must run as root on a host with iptables (npm run provision installs it).",
      "network-missing",
      { cause: error },
    );
  }
}

async function succeeds(...args: string[]): Promise<boolean> {
  try {
    await run("iptables", ["-w", "5", ...args]);
    return true;
  } catch {
    return false;
  }
}
