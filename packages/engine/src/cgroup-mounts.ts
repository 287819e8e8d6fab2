/** A cgroup hierarchy mounted on this host, as /proc/self/mountinfo lists it. */
export interface CgroupMount {
  version: 1 | 2;
  /** The v1 controllers of the hierarchy (none for v2). */
  controllers: string[];
  /** The part of the hierarchy mounted: "/" for all of it. */
  root: string;
  mountPoint: string;
}

/** The cgroup (v1) and cgroup2 mounts among the lines of /proc/self/mountinfo. */
export function cgroupMounts(mountInfo: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of mountInfo.split("\n")) {
    const [mount, filesystem] = line.split(" - ");
    const [, , , root, mountPoint] = mount?.split(" ") ?? [];
    const [type, , superOptions] = filesystem?.split(" ") ?? [];
    if ((type !== "cgroup" && type !== "cgroup2") || root === undefined || mountPoint === undefined) continue;
    const version = type === "cgroup" ? 1 : 2;
    mounts.push({ version, controllers: version === 1 ? (superOptions?.split(",") ?? []) : [], root, mountPoint });
  }
  return mounts;
}
