import Docker from "dockerode";
import { removeAssignment } from "./assignments";
import { listDataDisks, removeDataDisk } from "./data-disk";
import { EngineError, isNotFound } from "./errors";
import { callThawingOnTimeout, type FrozenCallOptions, thawIfFrozen } from "./frozen-containers";
import { LABEL, sandboxFilter } from "./labels";

/**
 * The engine's one way to remove sandboxes, used by the driver (and so the
 * agent), `npm run stop` and the tests: nothing else re-implements it.
 */

const ignoreMissing = (error: unknown) => {
  if (!isNotFound(error)) throw error;
};

/** How long a removal started by someone else (an operator, another remover) may take before the engine gives up waiting. */
const REMOVAL_IN_PROGRESS_WAIT_MS = 60_000;

/**
 * Removes a sandbox's container, thawed first: a frozen process never dies of
 * the kill a forced removal sends, and the removal would wait on it for ever
 * (and block Docker's other calls on the container meanwhile). A paused one
 * is unpaused; one whose cgroup is frozen although Docker says it runs (or
 * whose unpause failed) is thawed through its freezer file. Every Docker
 * call has a deadline (frozen-containers.ts). When someone else is already
 * removing it, waits until it is gone: its disk is unmounted, and its space
 * freed, only once its processes have let go.
 */
async function removeContainer(docker: Docker, info: Docker.ContainerInfo, options: FrozenCallOptions): Promise<void> {
  const container = docker.getContainer(info.Id);
  const target = { containerId: info.Id, sandboxId: info.Labels[LABEL.sandboxId] };
  const call = <T>(what: string, run: (abortSignal: AbortSignal) => Promise<T>) => callThawingOnTimeout(target, what, run, options);
  try {
    if (info.State === "paused") await call("unpause", (abortSignal) => container.unpause({ abortSignal })).catch(() => {});
    await thawIfFrozen(target, "it is being removed", options.warn);
    await call("remove", (abortSignal) => container.remove({ force: true, v: true, abortSignal }));
  } catch (error) {
    const { statusCode, message } = error as { statusCode?: number; message?: string };
    if (!(statusCode === 409 && /already in progress/i.test(message ?? ""))) return ignoreMissing(error);
    const deadline = Date.now() + REMOVAL_IN_PROGRESS_WAIT_MS;
    const present = () =>
      call("inspect", (abortSignal) => container.inspect({ abortSignal })).then(
        () => true,
        (inspectError: unknown) => !isNotFound(inspectError),
      );
    while (await present()) {
      if (Date.now() > deadline) {
        throw new EngineError(
          `Sandbox ${target.sandboxId}'s container ${info.Id} was still being removed after ${REMOVAL_IN_PROGRESS_WAIT_MS} ms.`,
          `Look at \`docker inspect ${info.Id}\` and dockerd's log; remove it with \`docker rm -f ${info.Id}\` once Docker answers.`,
          "sandbox-failed",
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Removes everything the engine holds for one sandbox: its container, data
 * volume, data disk and assignment. Never waits for ever on a frozen
 * container: it ends removed, or with an EngineError naming the container.
 */
export async function removeSandbox(docker: Docker, sandboxId: string, options: FrozenCallOptions = {}): Promise<void> {
  const containers = await docker.listContainers({ all: true, filters: sandboxFilter({ sandboxId }) });
  await Promise.all(containers.map((info) => removeContainer(docker, info, options)));
  await docker.getVolume(dataVolumeName(sandboxId)).remove().catch(ignoreMissing);
  await removeDataDisk(sandboxId);
  await removeAssignment(docker, sandboxId);
}

/** Removes every sandbox of a fleet (what a test suite, a benchmark or a deployment made); returns their ids. */
export async function removeFleet(fleet: string, docker: Docker = new Docker(), options: FrozenCallOptions = {}): Promise<string[]> {
  const containers = await docker.listContainers({ all: true, filters: sandboxFilter({ fleet }) });
  const ids = [...new Set(containers.map((info) => info.Labels[LABEL.sandboxId]).filter((id): id is string => Boolean(id)))];
  await Promise.all(ids.map((id) => removeSandbox(docker, id, options)));
  return ids;
}

/** What `removeOrphans` removed: data disks by sandbox id, volumes by name. */
export interface RemovedOrphans {
  disks: string[];
  volumes: string[];
}

/**
 * How old a sandbox's disk or volume must be before it counts as an orphan:
 * a sandbox being created right now has its disk and data volume for a
 * moment before its container exists.
 */
export const ORPHAN_GRACE_MS = 2 * 60_000;

/**
 * Removes the data disks, data volumes and assignment volumes whose sandbox
 * has no container in any fleet (several agents share one host), once they
 * are older than `graceMs`: what a crash, a removed container or an old
 * `npm run stop` left behind.
 */
export async function removeOrphans(
  docker: Docker = new Docker(),
  options: {
    graceMs?: number;
    now?: number;
    /** Only these sandboxes' (a test's own: on a shared host, others' young disks must not be taken early). */
    among?: readonly string[];
  } = {},
): Promise<RemovedOrphans> {
  const { graceMs = ORPHAN_GRACE_MS, now = Date.now(), among } = options;
  const [containers, { Volumes }, disks] = await Promise.all([
    docker.listContainers({ all: true, filters: sandboxFilter() }),
    docker.listVolumes({ filters: { label: [`${LABEL.managed}=true`, LABEL.sandboxId] } }),
    listDataDisks(),
  ]);
  const alive = new Set(containers.map((info) => info.Labels[LABEL.sandboxId]));
  const considered = (sandboxId: string) => !alive.has(sandboxId) && (!among || among.includes(sandboxId));
  const old = (time: number) => now - time >= graceMs;

  const orphanVolumes = (Volumes ?? []).filter((volume) => {
    const sandboxId = volume.Labels?.[LABEL.sandboxId];
    const createdAt = Date.parse((volume as { CreatedAt?: string }).CreatedAt ?? "");
    return sandboxId && considered(sandboxId) && Number.isFinite(createdAt) && old(createdAt);
  });
  const orphanDisks = disks.filter((disk) => considered(disk.sandboxId) && old(disk.modifiedMs));

  await Promise.all(orphanVolumes.map((volume) => docker.getVolume(volume.Name).remove().catch(ignoreMissing)));
  for (const disk of orphanDisks) await removeDataDisk(disk.sandboxId);
  return { disks: orphanDisks.map((disk) => disk.sandboxId), volumes: orphanVolumes.map((volume) => volume.Name) };
}

export function containerName(sandboxId: string): string {
  return `drydock-${sandboxId.replace("_", "-")}`;
}

export function dataVolumeName(sandboxId: string): string {
  return `${containerName(sandboxId)}-docker`;
}
