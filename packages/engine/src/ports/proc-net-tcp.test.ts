import { describe, expect, it } from "vitest";
import { isLoopback, parseProcNetTcp, TCP_LISTEN } from "./proc-net-tcp";

// Captured in a sandbox: Docker's embedded DNS, `docker run -p 8888:80`'s proxy, two connections to the registry.
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:22B8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 178608 1 000000007a6ad0b9 100 0 0 10 0
   1: 0B00007F:B40F 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 173679 1 00000000dbc1e80d 100 0 0 10 0
   2: 030012AC:9012 020012AC:1388 06 00000000:00000000 03:0000165A 00000000     0        0 0 3 000000000535aa93
`;

// python3 -m http.server on [::]:8000, something on [::1]:631, an IPv4-mapped listener, and an established connection.
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:1F40 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000001000000:0277 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4243 1 0000000000000000 100 0 0 10 0
   2: 0000000000000000FFFF00000100007F:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4244 1 0000000000000000 100 0 0 10 0
   3: 00000000000000000000000000000000:1F40 B80D01200000000000000000AD0B0000:D431 01 00000000:00000000 00:00000000 00000000     0        0 4245 1 0000000000000000 20 4 30 10 -1
`;

describe("parseProcNetTcp", () => {
  it("decodes IPv4 addresses, ports, states and inodes", () => {
    expect(parseProcNetTcp(TCP)).toEqual([
      { address: "0.0.0.0", port: 8888, state: TCP_LISTEN, inode: 178608 },
      { address: "127.0.0.11", port: 46095, state: TCP_LISTEN, inode: 173679 },
      { address: "172.18.0.3", port: 36882, state: 6, inode: 0 },
    ]);
  });

  it("decodes IPv6 addresses, folding IPv4-mapped ones to IPv4", () => {
    const sockets = parseProcNetTcp(TCP6);
    expect(sockets.map(({ address, port, state }) => ({ address, port, state }))).toEqual([
      { address: "::", port: 8000, state: TCP_LISTEN },
      { address: "::1", port: 631, state: TCP_LISTEN },
      { address: "127.0.0.1", port: 80, state: TCP_LISTEN },
      { address: "::", port: 8000, state: 1 },
    ]);
  });

  it("parses both files concatenated, and skips headers and garbage", () => {
    expect(parseProcNetTcp(`${TCP}${TCP6}not a socket line\n\n`)).toHaveLength(7);
    expect(parseProcNetTcp("")).toEqual([]);
  });

  it("writes a full IPv6 address without compressing single zero groups", () => {
    // 2001:db8:0:1:0:0:0:1, stored as four little-endian words.
    const line =
      "   0: B80D0120010000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7 1 0 100 0 0 10 0";
    expect(parseProcNetTcp(line)[0]?.address).toBe("2001:db8:0:1::1");
  });
});

describe("isLoopback", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.0.0.11", true],
    ["::1", true],
    ["0.0.0.0", false],
    ["::", false],
    ["172.18.0.3", false],
  ])("%s → %s", (address, expected) => {
    expect(isLoopback(address)).toBe(expected);
  });
});
