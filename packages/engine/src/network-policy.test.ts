import { describe, expect, it } from "vitest";
import { BLOCKED_RANGES, policyRules } from "./network-policy";

const chains = { bridge: "br-0123456789ab", forward: "DRYDOCK-FWD-0123456789ab", input: "DRYDOCK-IN-0123456789ab" };
const policy = { gateway: "172.20.0.1", registryPort: 5000, packageCachePort: 3142, egress: "internet" as const };

const rulesOf = (script: string, chain: string) => script.split("\n").filter((line) => line.startsWith(`-A ${chain} `));

describe("the sandbox network's firewall as one iptables-restore commit", () => {
  it("declares both chains, so iptables-restore --noflush empties and refills them in the same commit", () => {
    const script = policyRules(policy, chains, ["10.0.0.53"]);
    const lines = script.trimEnd().split("\n");
    expect(lines.slice(0, 3)).toEqual(["*filter", `:${chains.forward} - [0:0]`, `:${chains.input} - [0:0]`]);
    expect(lines.at(-1)).toBe("COMMIT");
    expect(lines.filter((line) => line.startsWith("-A")).every((line) => line.includes("--comment drydock"))).toBe(true);
  });

  it("lets replies to the host through before it refuses anything, and opens only the two gateways", () => {
    const input = rulesOf(policyRules(policy, chains, []), chains.input);
    expect(input[0]).toContain("--ctstate ESTABLISHED,RELATED");
    expect(input[0]).toMatch(/-j RETURN$/);
    expect(input.slice(1, 3)).toEqual([
      `-A ${chains.input} -d 172.20.0.1 -p tcp --dport 5000 -m comment --comment drydock -j RETURN`,
      `-A ${chains.input} -d 172.20.0.1 -p tcp --dport 3142 -m comment --comment drydock -j RETURN`,
    ]);
    expect(input.slice(3).every((rule) => rule.includes("-j REJECT"))).toBe(true);
  });

  it("refuses other sandboxes and private ranges, lets the name servers answer, and with egress none refuses the rest", () => {
    const internet = rulesOf(policyRules(policy, chains, ["10.0.0.53"]), chains.forward);
    expect(internet[0]).toBe(
      `-A ${chains.forward} -o ${chains.bridge} -m comment --comment drydock -j REJECT --reject-with icmp-port-unreachable`,
    );
    // DNS is let through before the private range that holds the name server is refused.
    const dns = internet.findIndex((rule) => rule.includes("-d 10.0.0.53 -p udp --dport 53"));
    const privateRange = internet.findIndex((rule) => rule.includes("-d 10.0.0.0/8"));
    expect(dns).toBeGreaterThan(0);
    expect(privateRange).toBeGreaterThan(dns);
    for (const range of BLOCKED_RANGES)
      expect(internet.some((rule) => rule.includes(`-d ${range} `) && rule.includes("REJECT"))).toBe(true);
    expect(internet.at(-1)).toBe(`-A ${chains.forward} -m comment --comment drydock -j RETURN`);

    const none = rulesOf(policyRules({ ...policy, egress: "none" }, chains, ["10.0.0.53"]), chains.forward);
    expect(none).toHaveLength(internet.length + 1);
    expect(none.at(-2)).toBe(`-A ${chains.forward} -m comment --comment drydock -j REJECT --reject-with icmp-port-unreachable`);
  });
});
