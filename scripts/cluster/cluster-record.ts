/**
 * What a running cluster started, written to `<state>/cluster.json` after
 * every change, so `npm run cluster -- stop` from another terminal (or after
 * the supervisor itself was killed) stops exactly those processes and
 * removes exactly those fleets' sandboxes, and nothing else.
 */

import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { removeFleet } from "@drydock/engine";
import { groupAlive, groupGone, signalGroup } from "./supervised-process";

export type ServiceKind = "postgres" | "redis" | "balancer" | "web" | "agent";

export interface ServiceInfo {
  name: string;
  kind: ServiceKind;
  url: string;
  /** A web node's Prometheus metrics (GET), on a port of its own. */
  metricsUrl?: string;
  /** Its process group's leader while it runs; undefined once stopped or killed. */
  pid: number | undefined;
  /** Part of its command line (its program or script), to recognise the pid as still ours before signalling it. */
  command: string;
}

export interface ClusterRecord {
  /** The process that supervises the cluster (npm run cluster, or a test). */
  supervisorPid: number;
  services: ServiceInfo[];
  fleets: string[];
}

export const recordFile = (stateDir: string) => join(stateDir, "cluster.json");

/** Written whole and renamed into place: services that start side by side each write it, and a reader never sees half of one. */
export async function writeRecord(stateDir: string, record: ClusterRecord): Promise<void> {
  const draft = `${recordFile(stateDir)}.${randomBytes(4).toString("hex")}`;
  await writeFile(draft, `${JSON.stringify(record, null, 2)}\n`);
  await rename(draft, recordFile(stateDir));
}

export async function readRecord(stateDir: string): Promise<ClusterRecord | undefined> {
  const text = await readFile(recordFile(stateDir), "utf8").catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as ClusterRecord);
}

/** Whether `pid`'s command line still holds `command` (a pid reused by another program is not ours to signal). */
export function runsCommand(pid: number, command: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").includes(command);
  } catch {
    return false;
  }
}

/**
 * Stops what the record lists: the agents first (so none refills its pool
 * meanwhile), their fleets' sandboxes, then the rest. Returns the names of
 * the services it stopped and the sandboxes it removed.
 */
export async function stopRecorded(stateDir: string, graceMs = 15_000): Promise<{ stopped: string[]; sandboxes: string[] }> {
  const record = await readRecord(stateDir);
  if (!record) return { stopped: [], sandboxes: [] };
  const ours = (service: ServiceInfo) => service.pid !== undefined && runsCommand(service.pid, service.command);
  const stopped: string[] = [];
  const stopGroup = async (services: ServiceInfo[]) => {
    const live = services.filter(ours);
    for (const service of live) signalGroup(service.pid as number, "SIGTERM");
    const deadline = Date.now() + graceMs;
    while (live.some((service) => groupAlive(service.pid as number)) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    for (const service of live) signalGroup(service.pid as number, "SIGKILL");
    for (const service of live) await groupGone(service.pid as number);
    stopped.push(...live.map((service) => service.name));
  };
  await stopGroup(record.services.filter((service) => service.kind === "agent"));
  const sandboxes = (await Promise.all(record.fleets.map((fleet) => removeFleet(fleet)))).flat();
  await stopGroup(record.services.filter((service) => service.kind === "web" || service.kind === "balancer"));
  await stopGroup(record.services.filter((service) => service.kind === "postgres" || service.kind === "redis"));
  await rm(recordFile(stateDir), { force: true });
  return { stopped, sandboxes };
}
