import { access, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { cgroupMounts } from "./cgroup-mounts";

/**
 * A container's cgroup freezer, read and written on the host: what Docker's
 * pause uses underneath. Docker can lose track of it: a cgroup left FROZEN
 * (or stuck FREEZING, when a process in it cannot be frozen) while Docker
 * says the container runs, and then runc, which waits in a loop for a
 * FREEZING cgroup to settle, blocks Docker's every call on the container.
 * Writing the thawed state into the freezer's file ends it at once.
 *
 * Docker's cgroup, by its cgroup driver: `docker/<id>` (cgroupfs) or
 * `system.slice/docker-<id>.scope` (systemd), under the v1 freezer
 * hierarchy's mount (`freezer.state`: THAWED, FREEZING, FROZEN) or under the
 * unified hierarchy of cgroup v2 (`cgroup.freeze`: 0 or 1; `cgroup.events`
 * says whether it is frozen yet). A host operation, as the data disks are:
 * where the agent cannot see the host's cgroups, nothing is found.
 */

export type FreezerState = "thawed" | "freezing" | "frozen";

export interface CgroupFreezer {
  version: 1 | 2;
  /** `freezer.state` (v1) or `cgroup.freeze` (v2). */
  file: string;
}

/** Where container `containerId`'s freezer file may be, in the order looked for, from the host's cgroup mounts. */
export function freezerCandidates(containerId: string, mountInfo: string): CgroupFreezer[] {
  const cgroups = [join("docker", containerId), join("system.slice", `docker-${containerId}.scope`)];
  const mounts = cgroupMounts(mountInfo).filter((mount) => mount.root === "/");
  const freezerV1 = mounts.find((mount) => mount.version === 1 && mount.controllers.includes("freezer"));
  const unified = mounts.find((mount) => mount.version === 2);
  return [
    ...(freezerV1 ? cgroups.map((cgroup) => ({ version: 1 as const, file: join(freezerV1.mountPoint, cgroup, "freezer.state") })) : []),
    ...(unified ? cgroups.map((cgroup) => ({ version: 2 as const, file: join(unified.mountPoint, cgroup, "cgroup.freeze") })) : []),
  ];
}

/** Read once: a host does not remount its cgroup hierarchies under a running engine. */
let hostMountInfo: Promise<string> | undefined;

/** The container's freezer on this host, if its cgroup is found (undefined for a container gone, or no access). */
export async function freezerOf(containerId: string): Promise<CgroupFreezer | undefined> {
  hostMountInfo ??= readFile("/proc/self/mountinfo", "utf8").catch(() => "");
  for (const candidate of freezerCandidates(containerId, await hostMountInfo)) {
    if (
      await access(candidate.file).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return undefined;
}

/** Reads a v1 `freezer.state`, or a v2 `cgroup.freeze` with its `cgroup.events`. */
export function parseFreezerState(version: 1 | 2, contents: string, events = ""): FreezerState | undefined {
  if (version === 1) {
    const state = contents.trim();
    return state === "FROZEN" ? "frozen" : state === "FREEZING" ? "freezing" : state === "THAWED" ? "thawed" : undefined;
  }
  if (contents.trim() === "0") return "thawed";
  if (contents.trim() !== "1") return undefined;
  return /^frozen 1$/m.test(events) ? "frozen" : "freezing";
}

/** The container's freezer state, or undefined where its cgroup cannot be read. */
export async function readFreezerState(freezer: CgroupFreezer): Promise<FreezerState | undefined> {
  try {
    const contents = await readFile(freezer.file, "utf8");
    const events = freezer.version === 2 ? await readFile(join(freezer.file, "..", "cgroup.events"), "utf8") : "";
    return parseFreezerState(freezer.version, contents, events);
  } catch {
    return undefined;
  }
}

/** What, written into the freezer file, thaws the cgroup. */
export function thawCommand(freezer: CgroupFreezer): string {
  return `echo ${freezer.version === 1 ? "THAWED" : "0"} > ${freezer.file}`;
}

/** Thaws the cgroup through its freezer file; false where the file cannot be written. */
export function thawFreezer(freezer: CgroupFreezer): Promise<boolean> {
  return writeFreezer(freezer, freezer.version === 1 ? "THAWED" : "0");
}

/** Freezes the cgroup through its freezer file, as Docker's pause would; false where the file cannot be written. */
export function freezeFreezer(freezer: CgroupFreezer): Promise<boolean> {
  return writeFreezer(freezer, freezer.version === 1 ? "FROZEN" : "1");
}

async function writeFreezer(freezer: CgroupFreezer, state: string): Promise<boolean> {
  try {
    await writeFile(freezer.file, state);
    return true;
  } catch {
    return false;
  }
}
