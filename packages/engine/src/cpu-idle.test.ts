import { describe, expect, it } from "vitest";
import { cpuCgroupDir } from "./cpu-idle";

const V1_MOUNTS = [
  "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
  "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
  "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct",
  "34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset",
].join("\n");

describe("the cpu cgroup of a process", () => {
  it("is found under the cgroup v1 mount of the cpu controller, not of a controller whose name starts alike", () => {
    const procCgroup = ["5:cpuset:/docker/abc", "3:cpuacct:/docker/abc", "2:cpu:/docker/abc", "1:name=systemd:/docker/abc"].join("\n");
    expect(cpuCgroupDir(procCgroup, V1_MOUNTS)).toBe("/sys/fs/cgroup/cpu/docker/abc");
  });

  it("is found where cpu and cpuacct share one v1 hierarchy", () => {
    const mounts = "40 31 0:35 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct";
    expect(cpuCgroupDir("4:cpu,cpuacct:/system.slice/docker-abc.scope\n", mounts)).toBe(
      "/sys/fs/cgroup/cpu,cpuacct/system.slice/docker-abc.scope",
    );
  });

  it("is found in the unified hierarchy of cgroup v2", () => {
    const mounts = "30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate";
    expect(cpuCgroupDir("0::/system.slice/docker-abc.scope\n", mounts)).toBe("/sys/fs/cgroup/system.slice/docker-abc.scope");
  });

  it("is read below a mount of part of the hierarchy", () => {
    const mounts = "30 23 0:26 /docker /sys/fs/cgroup rw - cgroup2 cgroup2 rw";
    expect(cpuCgroupDir("0::/docker/abc\n", mounts)).toBe("/sys/fs/cgroup/abc");
  });

  it("is unknown where the cpu controller is not mounted", () => {
    expect(cpuCgroupDir("2:cpu:/docker/abc\n", "31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw")).toBeUndefined();
    expect(cpuCgroupDir("", V1_MOUNTS)).toBeUndefined();
  });
});
