import { describe, expect, it } from "vitest";
import { mountsUnder } from "./data-disk";

describe("data disk mounts in /proc/mounts", () => {
  it("finds the mount points directly under the disks folder, decoding escapes", () => {
    const table = [
      "overlay / overlay rw 0 0",
      "/dev/loop3 /var/lib/drydock/disks/sbx_0123 ext4 rw,nosuid,nodev 0 0",
      "/dev/loop4 /var/lib/drydock/disks/odd\\040name ext4 rw 0 0",
      "tmpfs /var/lib/drydock/disks/sbx_0123/docker/inner tmpfs rw 0 0",
      "/dev/loop5 /var/lib/drydock/disks-other/sbx_9 ext4 rw 0 0",
      "",
    ].join("\n");
    expect(mountsUnder(table, "/var/lib/drydock/disks")).toEqual(["sbx_0123", "odd name"]);
  });
});
