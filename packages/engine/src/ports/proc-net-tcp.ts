/**
 * Parsing of /proc/net/tcp and /proc/net/tcp6: one socket per line, addresses
 * in hex as the kernel stores them (each 32-bit word in host byte order,
 * little-endian on every platform Drydock runs on).
 */
export interface TcpSocket {
  address: string;
  port: number;
  /** The kernel's state number; 0x0A is LISTEN. */
  state: number;
  inode: number;
}

export const TCP_LISTEN = 0x0a;

const LINE = /^\s*\d+:\s+([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})\s+\S+\s+([0-9A-Fa-f]{2})\s+\S+\s+\S+\s+\S+\s+\d+\s+\d+\s+(\d+)/;

/** Every socket line of one or more /proc/net/tcp{,6} dumps; header and foreign lines are skipped. */
export function parseProcNetTcp(text: string): TcpSocket[] {
  const sockets: TcpSocket[] = [];
  for (const line of text.split("\n")) {
    const match = LINE.exec(line);
    if (!match) continue;
    const [, address = "", port = "", state = "", inode = ""] = match;
    sockets.push({
      address: address.length === 8 ? ipv4(address) : ipv6(address),
      port: Number.parseInt(port, 16),
      state: Number.parseInt(state, 16),
      inode: Number(inode),
    });
  }
  return sockets;
}

/** The 4 bytes of one little-endian 32-bit word, in network order. */
function wordBytes(hex: string): number[] {
  const bytes = [0, 2, 4, 6].map((offset) => Number.parseInt(hex.slice(offset, offset + 2), 16));
  return bytes.reverse();
}

function ipv4(hex: string): string {
  return wordBytes(hex).join(".");
}

function ipv6(hex: string): string {
  const bytes = [0, 8, 16, 24].flatMap((offset) => wordBytes(hex.slice(offset, offset + 8)));
  // An IPv4-mapped address (::ffff:a.b.c.d) is the IPv4 socket it stands for.
  if (bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return bytes.slice(12).join(".");
  }
  const groups: string[] = [];
  for (let index = 0; index < 16; index += 2) groups.push((((bytes[index] ?? 0) << 8) | (bytes[index + 1] ?? 0)).toString(16));
  return compressIpv6(groups);
}

/** The usual short form: the longest run of two or more zero groups becomes "::". */
function compressIpv6(groups: string[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let start = 0; start < groups.length; ) {
    if (groups[start] !== "0") {
      start++;
      continue;
    }
    let end = start;
    while (end < groups.length && groups[end] === "0") end++;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end;
  }
  if (bestLength < 2) return groups.join(":");
  return `${groups.slice(0, bestStart).join(":")}::${groups.slice(bestStart + bestLength).join(":")}`;
}

export function isLoopback(address: string): boolean {
  return address.startsWith("127.") || address === "::1";
}
