import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { cgroupMounts } from "./cgroup-mounts";

/**
 * The idle CPU class (the cgroup's `cpu.idle`, Linux 5.15+, cgroup v1 and
 * v2) for a booting sandbox. A CPU weight only shares the CPU out over time;
 * an idle cgroup also gives way at once whenever anything else on the CPU
 * wakes up — a learner's keystroke on its way through tmux, the agent and the
 * web app — so a boot fills the gaps instead of queueing ahead of them.
 *
 * A host operation: the agent reads the container's cgroup from /proc and
 * writes the cgroup file, so it must run as root beside the Docker engine (as
 * the data disks already require). Where that cannot be done, the boot runs
 * at its CPU weight alone.
 */

/** Where the kernel mounts the cpu controller, and the cgroup a process is in under it. */
export function cpuCgroupDir(procCgroup: string, mountInfo: string): string | undefined {
  const lines = procCgroup.split("\n").map((line) => line.split(":"));
  const v1 = lines.find(([, controllers]) => controllers?.split(",").includes("cpu"));
  const [, , path] = v1 ?? lines.find(([hierarchy, controllers]) => hierarchy === "0" && controllers === "") ?? [];
  if (path === undefined) return undefined;
  for (const { version, controllers, root, mountPoint } of cgroupMounts(mountInfo)) {
    const matches = v1 ? version === 1 && controllers.includes("cpu") : version === 2;
    if (!matches) continue;
    // A mount of part of the hierarchy (root other than /) shows the paths below that part.
    const below = root === "/" ? path : path.startsWith(root) ? path.slice(root.length) : undefined;
    if (below !== undefined) return join(mountPoint, below);
  }
  return undefined;
}

async function cpuIdleFile(pid: number): Promise<string | undefined> {
  const [procCgroup, mountInfo] = await Promise.all([readFile(`/proc/${pid}/cgroup`, "utf8"), readFile("/proc/self/mountinfo", "utf8")]);
  const dir = cpuCgroupDir(procCgroup, mountInfo);
  return dir && join(dir, "cpu.idle");
}

/** Puts the cgroup of process `pid` in the idle CPU class, or back; false when this host does not allow it. */
export async function setCpuIdle(pid: number, idle: boolean): Promise<boolean> {
  try {
    const file = await cpuIdleFile(pid);
    if (!file) return false;
    await writeFile(file, idle ? "1" : "0");
    return true;
  } catch {
    return false;
  }
}

/** Whether the cgroup of process `pid` is in the idle CPU class (undefined where it cannot be read). */
export async function isCpuIdle(pid: number): Promise<boolean | undefined> {
  try {
    const file = await cpuIdleFile(pid);
    return file ? (await readFile(file, "utf8")).trim() === "1" : undefined;
  } catch {
    return undefined;
  }
}
