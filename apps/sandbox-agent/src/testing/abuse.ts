import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { TERMINAL_NAMESPACE, type TerminalClientEvents, type TerminalServerEvents } from "@drydock/protocol";
import Docker from "dockerode";
import type { Socket } from "socket.io-client";
import type { AgentHarness } from "./agent-harness";

const run = promisify(execFile);
const docker = new Docker();

/**
 * Escape and abuse attempts against a real sandbox, shared by the
 * containment tests and `npm run bench:abuse`. Every network target is an
 * address of this machine: the "metadata service" and the "private range"
 * are addresses put on an interface of the test's own, with a listener
 * of the test's own, so a failed block would still keep the packet here.
 */
export const LISTENER_REPLY = "drydock-abuse-listener";

/** An attempt's script exits 0 only if the escape worked. */
export interface Attempt {
  name: string;
  script: string;
}

/** Attempts on the host's kernel interfaces: each script exits 0 only if it got through. */
export function hostAttempts(marker: string): Attempt[] {
  // Every write puts back the value read, so even a success would change nothing.
  return [
    {
      name: "write a host cgroup's release_agent",
      script: `for f in /sys/fs/cgroup/*/release_agent /sys/fs/cgroup/release_agent; do [ -e "$f" ] || continue; v=$(cat "$f"); printf '%s' "$v" > "$f" 2>/dev/null && exit 0; done; exit 1`,
    },
    {
      name: "create a cgroup in the host's hierarchy",
      script: `for d in /sys/fs/cgroup/memory /sys/fs/cgroup/pids /sys/fs/cgroup; do mkdir "$d/drydock-escape" 2>/dev/null && { rmdir "$d/drydock-escape"; exit 0; }; done; exit 1`,
    },
    {
      name: "write core_pattern",
      script: `v=$(cat /proc/sys/kernel/core_pattern); printf '%s\\n' "$v" > /proc/sys/kernel/core_pattern 2>/dev/null`,
    },
    {
      name: "mknod the host's disk and read it",
      script: `set -- $(awk '$4 ~ /^(vd|sd|nvme|xvd)[a-z0-9]*$/ { print $1, $2; exit }' /proc/partitions); [ -n "$1" ] || set -- 8 0; mknod /tmp/hostdisk b "$1" "$2" 2>/dev/null && head -c 512 /tmp/hostdisk >/dev/null 2>&1`,
    },
    {
      name: "mount the host's disk",
      script: `mkdir -p /tmp/hostmnt; for d in /dev/vda /dev/sda /dev/nvme0n1 /tmp/hostdisk; do mount -o ro "$d" /tmp/hostmnt 2>/dev/null && exit 0; done; exit 1`,
    },
    {
      name: "see the host's processes",
      script: `ps -eo args= | grep -q '[${marker[0]}]${marker.slice(1)}'`,
    },
    {
      name: "raise its own memory and pids limits",
      script: `for f in /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max; do [ -e "$f" ] || continue; v=$(cat "$f"); printf '%s' "$v" > "$f" 2>/dev/null && exit 0; done; exit 1`,
    },
  ];
}

function reachAttempt(name: string, host: string, port: number): Attempt {
  return { name, script: `curl -s -m 3 http://${host}:${port}/ | grep -q ${LISTENER_REPLY}` };
}

/** Stand-ins on this machine for the metadata service and a private-range host. */
export const METADATA = "169.254.169.254";
export const PRIVATE = "10.254.254.254";

export interface NetworkTargets {
  /** One attempt per place a sandbox must not reach. */
  attempts: Attempt[];
  /** The same targets as the host reaches them: each must answer, so a block is the policy's doing. */
  controls: Array<readonly [host: string, port: number]>;
  close(): Promise<void>;
}

/**
 * Everything a sandbox must not reach, made real and local: a host service,
 * the agent's API, another sandbox (`neighbour` serves HTTP on 8000), and
 * listeners on local stand-ins for the metadata address and a private range,
 * so a failed block still keeps every packet on this machine.
 */
export async function networkTargets(harness: AgentHarness, neighbour: string): Promise<NetworkTargets> {
  const local = await localAddresses([METADATA, PRIVATE]);
  const listeners = await Promise.all(["0.0.0.0", METADATA, PRIVATE].map((address) => hostListener(address)));
  const close = async () => {
    for (const listener of listeners) await listener.close().catch(() => {});
    await local.remove();
  };
  try {
    const [hostService, metadata, privateRange] = listeners.map((listener) => listener.port) as [number, number, number];
    await harness.driver.exec(neighbour, ["bash", "-c", "nohup python3 -m http.server 8000 >/dev/null 2>&1 & sleep 0.5"]);
    const other = await harness.driver.portEndpoint(neighbour, 8000);
    return {
      attempts: [
        reachAttempt("reach a host service on the bridge gateway", harness.network.gateway, hostService),
        reachAttempt("reach the agent's API on the bridge gateway", harness.network.gateway, Number(new URL(harness.agent.url).port)),
        reachAttempt("reach another sandbox", other.host, other.port),
        reachAttempt(`reach the metadata address ${METADATA}`, METADATA, metadata),
        reachAttempt("reach a private-range address", PRIVATE, privateRange),
      ],
      controls: [
        ["127.0.0.1", hostService],
        [METADATA, metadata],
        [PRIVATE, privateRange],
        [other.host, other.port],
      ],
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Runs an attempt in the sandbox as the learner; true when it was blocked. */
export async function blocked(harness: AgentHarness, sandboxId: string, attempt: Attempt): Promise<boolean> {
  const result = await harness.driver.exec(sandboxId, ["bash", "-c", attempt.script]);
  return result.exitCode !== 0;
}

/** An HTTP listener on the host answering LISTENER_REPLY, on `address` (a free port). */
async function hostListener(address: string): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => res.end(LISTENER_REPLY));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, address, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Makes link-local and private addresses local to this host, on an interface of the caller's own. */
async function localAddresses(addresses: string[]): Promise<{ remove(): Promise<void> }> {
  const link = `ddesc${randomBytes(3).toString("hex")}`;
  // A bridge with no ports: a local interface of our own (this kernel has no dummy driver).
  await run("ip", ["link", "add", link, "type", "bridge"]);
  try {
    for (const address of addresses) await run("ip", ["addr", "add", `${address}/32`, "dev", link]);
    await run("ip", ["link", "set", link, "up"]);
  } catch (error) {
    await run("ip", ["link", "del", link]).catch(() => {});
    throw error;
  }
  return { remove: async () => void (await run("ip", ["link", "del", link])) };
}

/** Host-side cgroup v1 counters of a sandbox's container. */
export async function cgroupCounters(
  sandboxId: string,
): Promise<{ memoryMaxUsage: number; memoryLimit: number; pidsMaxEvents: number; pidsMax: number; cpuUsageNs: number }> {
  const [info] = await docker.listContainers({ filters: { label: [`io.drydock.sandbox-id=${sandboxId}`] } });
  if (!info) throw new Error(`no container for ${sandboxId}`);
  const read = (path: string) => readFile(`/sys/fs/cgroup/${path.replace("ID", info.Id)}`, "utf8");
  const pidsEvents = await read("pids/docker/ID/pids.events");
  return {
    memoryMaxUsage: Number(await read("memory/docker/ID/memory.max_usage_in_bytes")),
    memoryLimit: Number(await read("memory/docker/ID/memory.limit_in_bytes")),
    pidsMaxEvents: Number(/max (\d+)/.exec(pidsEvents)?.[1] ?? 0),
    pidsMax: Number(await read("pids/docker/ID/pids.max")),
    cpuUsageNs: Number(await read("cpuacct/docker/ID/cpuacct.usage")),
  };
}

type TerminalClient = Socket<TerminalServerEvents, TerminalClientEvents>;

/**
 * Keystroke echo in a sandbox's terminal, measured while `during` runs: types
 * one character every 50 ms and times until it comes back. Returns the
 * latencies in ms; a keystroke not echoed within 5 s counts as 5000.
 */
export async function echoLatencies(harness: AgentHarness, sandboxId: string, during: Promise<unknown>): Promise<number[]> {
  const socket = harness.connect<TerminalClient>(TERMINAL_NAMESPACE, { sandboxId, token: harness.token(sandboxId, "write", 600) });
  let output = "";
  socket.on("terminal:output", (data, ack) => {
    output += Buffer.from(data).toString("utf8");
    ack?.();
  });
  const waitFor = async (text: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!output.includes(text)) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return true;
  };
  await waitFor("$ ", 30_000);
  let done = false;
  void during.finally(() => {
    done = true;
  });
  const samples: number[] = [];
  const letters = "abcdefghijklmnopqrstuvwxyz";
  for (let i = 0; !done || samples.length < 5; i++) {
    const key = letters[i % letters.length] ?? "a";
    output = "";
    const started = performance.now();
    socket.emit("terminal:input", key);
    samples.push((await waitFor(key, 5000)) ? performance.now() - started : 5000);
    if (i % 20 === 19) socket.emit("terminal:input", "\u0015");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  socket.emit("terminal:input", "\u0015");
  socket.close();
  return samples;
}

export function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? Number.NaN;
}
