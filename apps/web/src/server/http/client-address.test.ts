import { describe, expect, it } from "vitest";
import { clientAddresses, trustedProxies } from "./client-address";

describe("the client address behind balancers", () => {
  const behind = clientAddresses(trustedProxies("127.0.0.1, 10.0.0.0/8"));

  it("takes the address a trusted balancer saw, and the socket's own otherwise", () => {
    expect(behind.of("127.0.0.1", "203.0.113.7")).toBe("203.0.113.7");
    expect(behind.of("::ffff:127.0.0.1", "203.0.113.7")).toBe("203.0.113.7");
    expect(behind.of("127.0.0.1", undefined)).toBe("127.0.0.1");
    expect(behind.of("198.51.100.2", undefined)).toBe("198.51.100.2");
  });

  it("ignores what an untrusted client writes, so nobody dodges its budget by forging the header", () => {
    expect(behind.of("198.51.100.2", "203.0.113.7")).toBe("198.51.100.2");
    // The client forged the first hop; the trusted balancer appended the address it really saw.
    expect(behind.of("127.0.0.1", "1.2.3.4, 198.51.100.2")).toBe("198.51.100.2");
  });

  it("walks back through a chain of trusted balancers (ingress, then HAProxy)", () => {
    expect(behind.of("127.0.0.1", ["203.0.113.7, 10.1.2.3"])).toBe("203.0.113.7");
    expect(behind.of("127.0.0.1", "not-an-address")).toBe("127.0.0.1");
  });

  it("trusts nobody when unset", () => {
    expect(clientAddresses(trustedProxies(undefined)).of("127.0.0.1", "203.0.113.7")).toBe("127.0.0.1");
  });

  it("names a bad entry", () => {
    expect(() => trustedProxies("10.0.0.0/33")).toThrow(/"10.0.0.0\/33" is not an IP address or a CIDR block/);
    expect(() => trustedProxies("balancer.local")).toThrow(/"balancer.local"/);
  });
});
