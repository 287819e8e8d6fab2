import { BlockList, isIP } from "node:net";

/**
 * The address a request came from, for the per-address budgets. Behind a
 * balancer every request arrives from the balancer, so a room's learners
 * would share one budget; the balancers named in TRUSTED_PROXIES are
 * believed about the address they saw (the X-Forwarded-For entry they
 * appended). Anyone else's X-Forwarded-For is ignored: a client could
 * write any address there and dodge its budget.
 */
export interface ClientAddresses {
  of(socketAddress: string | undefined, forwardedFor: string | string[] | undefined): string;
}

/** IPv4 clients of a dual-stack listener show as ::ffff:a.b.c.d; budgets count them as a.b.c.d. */
function plain(address: string): string {
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** Parses TRUSTED_PROXIES ("10.0.0.0/8,127.0.0.1"); a bad entry throws naming it. */
export function trustedProxies(setting: string | undefined): BlockList {
  const list = new BlockList();
  for (const entry of (setting ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [address, prefix, extra] = entry.split("/");
    const family = isIP(address ?? "");
    const bits = prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix);
    const maxBits = family === 4 ? 32 : 128;
    if (family === 0 || extra !== undefined || !Number.isInteger(bits) || bits < 0 || bits > maxBits) {
      throw new Error(`"${entry}" is not an IP address or a CIDR block like 10.0.0.0/8`);
    }
    list.addSubnet(address as string, bits, family === 4 ? "ipv4" : "ipv6");
  }
  return list;
}

const trusted = (list: BlockList, address: string) => {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? "ipv4" : "ipv6");
};

export function clientAddresses(proxies: BlockList): ClientAddresses {
  return {
    of(socketAddress, forwardedFor) {
      let address = plain(socketAddress ?? "unknown");
      const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
        .split(",")
        .map((hop) => plain(hop.trim()))
        .filter(Boolean);
      // Walk back from the nearest hop while the one that told us is a trusted balancer.
      while (trusted(proxies, address) && hops.length > 0) {
        const previous = hops.pop() as string;
        if (isIP(previous) === 0) break;
        address = previous;
      }
      return address;
    },
  };
}
