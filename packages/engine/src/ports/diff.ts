import type { ListeningPort, PortsChange } from "./types";

/**
 * What changed between two lists of ports. A port whose details changed (a
 * different process or container took it over) disappeared and appeared.
 * Undefined when nothing changed.
 */
export function diffPorts(before: ListeningPort[], after: ListeningPort[]): PortsChange | undefined {
  const key = (port: ListeningPort) => JSON.stringify(port);
  const beforeKeys = new Set(before.map(key));
  const afterKeys = new Set(after.map(key));
  const appeared = after.filter((port) => !beforeKeys.has(key(port)));
  const disappeared = before.filter((port) => !afterKeys.has(key(port)));
  if (appeared.length === 0 && disappeared.length === 0) return undefined;
  return { ports: after, appeared, disappeared };
}
