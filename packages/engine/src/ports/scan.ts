import { TERMINAL_RELAY_PORT } from "../terminal/relay-protocol";
import { isLoopback, parseProcNetTcp, TCP_LISTEN } from "./proc-net-tcp";
import type { ListeningPort, PublishingContainer } from "./types";

/**
 * One exec in the sandbox gathers everything port discovery needs, in
 * sections: the listening sockets of the sandbox's network namespace, which
 * process holds each socket, and the inner engine's published ports (its
 * API, as `docker ps` would ask it). Tools: coreutils, findutils, procps and
 * curl, all in the sandbox image.
 */
export const PORT_SCAN_SCRIPT = [
  "cat /proc/net/tcp /proc/net/tcp6 2>/dev/null",
  "echo '@@sockets'",
  "find /proc/[0-9]*/fd -lname 'socket:*' -printf '%h %l\\n' 2>/dev/null",
  "echo '@@processes'",
  "ps -eo pid=,comm=",
  "echo '@@containers'",
  "curl -sf --max-time 2 --unix-socket /var/run/docker.sock http://engine/containers/json",
  "true",
].join("\n");

/**
 * Listeners that belong to the sandbox's own plumbing, not the learner:
 * Docker's embedded DNS resolver answers on 127.0.0.11 in every container on
 * a user-defined network, on a random port; the terminal relay listens on
 * every address on its port.
 */
const INFRASTRUCTURE_ADDRESSES = new Set(["127.0.0.11"]);
const isInfrastructure = (socket: { address: string; port: number }) =>
  INFRASTRUCTURE_ADDRESSES.has(socket.address) || (socket.port === TERMINAL_RELAY_PORT && socket.address === "0.0.0.0");

interface Listener {
  localOnly: boolean;
  process?: string;
  container?: PublishingContainer;
}

/** Turns the scan's output into the sandbox's listening ports, sorted by number. */
export function parsePortScan(output: string): ListeningPort[] {
  const sections = splitSections(output);
  const processOfInode = socketOwners(sections.get("sockets") ?? "", sections.get("processes") ?? "");
  const byPort = new Map<number, Listener>();

  for (const socket of parseProcNetTcp(sections.get("") ?? "")) {
    if (socket.state !== TCP_LISTEN || isInfrastructure(socket)) continue;
    const known = byPort.get(socket.port);
    const localOnly = isLoopback(socket.address) && (known?.localOnly ?? true);
    byPort.set(socket.port, { localOnly, process: known?.process ?? processOfInode.get(socket.inode) });
  }
  for (const published of publishedPorts(sections.get("containers") ?? "")) {
    const known = byPort.get(published.port);
    const localOnly = isLoopback(published.address) && (known?.localOnly ?? true);
    byPort.set(published.port, { ...known, localOnly, container: known?.container ?? published.container });
  }

  return [...byPort.entries()]
    .sort(([a], [b]) => a - b)
    .map(([port, listener]) => ({
      port,
      protocol: "tcp",
      ...(listener.process ? { process: listener.process } : {}),
      ...(listener.container ? { container: listener.container } : {}),
      ...(listener.localOnly ? { localOnly: true } : {}),
    }));
}

/** The script's output by section name; the first, unnamed section is the /proc/net/tcp dump. */
function splitSections(output: string): Map<string, string> {
  const sections = new Map<string, string>();
  let name = "";
  let lines: string[] = [];
  for (const line of output.split("\n")) {
    const header = /^@@(\w+)$/.exec(line);
    if (!header) {
      lines.push(line);
      continue;
    }
    sections.set(name, lines.join("\n"));
    name = header[1] ?? "";
    lines = [];
  }
  sections.set(name, lines.join("\n"));
  return sections;
}

/** Socket inode → the command name of a process holding it. */
function socketOwners(sockets: string, processes: string): Map<number, string> {
  const commandOf = new Map<string, string>();
  for (const line of processes.split("\n")) {
    const match = /^\s*(\d+)\s+(.+?)\s*$/.exec(line);
    if (match?.[1] && match[2]) commandOf.set(match[1], match[2]);
  }
  const owners = new Map<number, string>();
  for (const line of sockets.split("\n")) {
    const match = /^\/proc\/(\d+)\/fd socket:\[(\d+)\]$/.exec(line.trim());
    const command = match?.[1] ? commandOf.get(match[1]) : undefined;
    if (match?.[2] && command && !owners.has(Number(match[2]))) owners.set(Number(match[2]), command);
  }
  return owners;
}

interface PublishedPort {
  port: number;
  address: string;
  container: PublishingContainer;
}

/** The inner engine's `GET /containers/json`: each container's published TCP ports. Anything unexpected is ignored. */
function publishedPorts(json: string): PublishedPort[] {
  let containers: unknown;
  try {
    containers = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(containers)) return [];
  const found: PublishedPort[] = [];
  for (const entry of containers) {
    if (!isRecord(entry) || typeof entry.Id !== "string" || !Array.isArray(entry.Ports)) continue;
    const names = Array.isArray(entry.Names) ? entry.Names.filter((name): name is string => typeof name === "string") : [];
    const name = (names[0] ?? entry.Id.slice(0, 12)).replace(/^\//, "");
    const image = typeof entry.Image === "string" ? entry.Image : "";
    for (const mapping of entry.Ports) {
      if (
        !isRecord(mapping) ||
        mapping.Type !== "tcp" ||
        typeof mapping.PublicPort !== "number" ||
        typeof mapping.PrivatePort !== "number"
      ) {
        continue;
      }
      found.push({
        port: mapping.PublicPort,
        address: typeof mapping.IP === "string" ? mapping.IP : "0.0.0.0",
        container: { id: entry.Id.slice(0, 12), name, image, targetPort: mapping.PrivatePort },
      });
    }
  }
  return found;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
