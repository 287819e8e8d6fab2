import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import Docker from "dockerode";
import { afterAll, describe, expect, it } from "vitest";
import { assignmentVolumeName, saveAssignment } from "./assignments";
import { createDataDisk, dataDiskPaths, listDataDisks } from "./data-disk";
import { sandboxLabels } from "./labels";
import { ORPHAN_GRACE_MS, removeFleet, removeOrphans, removeSandbox } from "./removal";

const docker = new Docker();
const fleet = `removal-test-${randomBytes(4).toString("hex")}`;
const newId = () => `sbx_${randomBytes(8).toString("hex")}`;
const orphan = newId();
const live = newId();

afterAll(async () => {
  await removeFleet(fleet, docker);
  await removeSandbox(docker, orphan);
});

async function volumeExists(name: string): Promise<boolean> {
  return docker
    .getVolume(name)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

const held = async (sandboxId: string) => ({
  disk: existsSync(dataDiskPaths(sandboxId).image),
  mounted: (await listDataDisks()).some((disk) => disk.sandboxId === sandboxId && disk.mounted),
  assignment: await volumeExists(assignmentVolumeName(sandboxId)),
});

describe("removing orphans", () => {
  it("takes disks and volumes of no container once past the grace age, never a live sandbox's or a young one's", async () => {
    const assignment = { owner: "learner-orphans", expiresAt: new Date(Date.now() + 60_000), env: {} };
    for (const id of [orphan, live]) {
      await createDataDisk(id, 32 * 1024 * 1024);
      await saveAssignment(docker, id, assignment);
    }
    // A live sandbox: any container with a sandbox's labels, of any fleet.
    const container = await docker.createContainer({ Image: "debian:bookworm-slim", Cmd: ["true"], Labels: sandboxLabels(live, fleet) });
    expect(container.id).toBeTruthy();
    const everything = { disk: true, mounted: true, assignment: true };

    // Made a moment ago: still being created, as far as anyone can tell.
    // Only this test's own sandboxes: other runs on this host may be creating theirs right now.
    const among = [orphan, live];
    const young = await removeOrphans(docker, { among });
    expect(young.disks).not.toContain(orphan);
    expect(await held(orphan)).toEqual(everything);

    const later = await removeOrphans(docker, { among, now: Date.now() + ORPHAN_GRACE_MS + 1000 });
    expect(later).toEqual({ disks: [orphan], volumes: [assignmentVolumeName(orphan)] });
    expect(await held(orphan)).toEqual({ disk: false, mounted: false, assignment: false });
    expect(await held(live)).toEqual(everything);
  });
});
