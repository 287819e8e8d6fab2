import { describe, expect, it } from "vitest";
import { freezerCandidates, parseFreezerState, thawCommand } from "./freezer";

const ID = "0a99f25c";

describe("a container's cgroup freezer", () => {
  it("is looked for under the v1 freezer hierarchy, for Docker's cgroupfs and systemd drivers, before the unified one", () => {
    const mounts = [
      "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
      "35 31 0:32 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw,nsdelegate",
      "38 31 0:35 / /sys/fs/cgroup/freezer rw - cgroup cgroup rw,freezer",
      "39 31 0:36 / /sys/fs/cgroup/freezer-like rw - cgroup cgroup rw,net_cls,freezerx",
    ].join("\n");
    expect(freezerCandidates(ID, mounts)).toEqual([
      { version: 1, file: `/sys/fs/cgroup/freezer/docker/${ID}/freezer.state` },
      { version: 1, file: `/sys/fs/cgroup/freezer/system.slice/docker-${ID}.scope/freezer.state` },
      { version: 2, file: `/sys/fs/cgroup/unified/docker/${ID}/cgroup.freeze` },
      { version: 2, file: `/sys/fs/cgroup/unified/system.slice/docker-${ID}.scope/cgroup.freeze` },
    ]);
  });

  it("is looked for in the unified hierarchy of cgroup v2 alone, and not in a mount of part of a hierarchy", () => {
    const mounts = ["30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw", "50 23 0:26 /docker /mnt/part rw - cgroup2 cgroup2 rw"].join(
      "\n",
    );
    expect(freezerCandidates(ID, mounts).map((candidate) => candidate.file)).toEqual([
      `/sys/fs/cgroup/docker/${ID}/cgroup.freeze`,
      `/sys/fs/cgroup/system.slice/docker-${ID}.scope/cgroup.freeze`,
    ]);
    expect(freezerCandidates(ID, "31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw")).toEqual([]);
  });

  it("reads v1's states, and v2's request with whether it took effect", () => {
    expect(["THAWED\n", "FREEZING\n", "FROZEN\n", ""].map((contents) => parseFreezerState(1, contents))).toEqual([
      "thawed",
      "freezing",
      "frozen",
      undefined,
    ]);
    expect(parseFreezerState(2, "0\n", "populated 1\nfrozen 0\n")).toBe("thawed");
    expect(parseFreezerState(2, "1\n", "populated 1\nfrozen 0\n")).toBe("freezing");
    expect(parseFreezerState(2, "1\n", "populated 1\nfrozen 1\n")).toBe("frozen");
  });

  it("is thawed by hand with the command its version takes", () => {
    expect(thawCommand({ version: 1, file: "/f/freezer.state" })).toBe("echo THAWED > /f/freezer.state");
    expect(thawCommand({ version: 2, file: "/f/cgroup.freeze" })).toBe("echo 0 > /f/cgroup.freeze");
  });
});
