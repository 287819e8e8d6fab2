import Docker from "dockerode";
import { removeAssignment } from "./assignments";
import { removeDataDisk } from "./data-disk";
import { isNotFound } from "./errors";
import { LABEL, sandboxFilter } from "./labels";

const ignoreMissing = (error: unknown) => {
  if (!isNotFound(error)) throw error;
};

/** Removes everything the engine holds for one sandbox: its container, data volume and assignment. */
export async function removeSandbox(docker: Docker, sandboxId: string): Promise<void> {
  const containers = await docker.listContainers({ all: true, filters: sandboxFilter({ sandboxId }) });
  await Promise.all(containers.map((info) => docker.getContainer(info.Id).remove({ force: true, v: true }).catch(ignoreMissing)));
  await docker.getVolume(dataVolumeName(sandboxId)).remove().catch(ignoreMissing);
  await removeDataDisk(sandboxId);
  await removeAssignment(docker, sandboxId);
}

/** Removes every sandbox of a fleet (what a test suite or a benchmark made); returns how many. */
export async function removeFleet(fleet: string, docker: Docker = new Docker()): Promise<number> {
  const containers = await docker.listContainers({ all: true, filters: sandboxFilter({ fleet }) });
  const ids = containers.map((info) => info.Labels[LABEL.sandboxId]).filter((id): id is string => Boolean(id));
  await Promise.all(ids.map((id) => removeSandbox(docker, id)));
  return ids.length;
}

export function containerName(sandboxId: string): string {
  return `drydock-${sandboxId.replace("_", "-")}`;
}

export function dataVolumeName(sandboxId: string): string {
  return `${containerName(sandboxId)}-docker`;
}
