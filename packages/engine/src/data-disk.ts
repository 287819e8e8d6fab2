import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, rm, rmdir, stat, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { EngineError } from "./errors";

const run = promisify(execFile);

/**
 * A sandbox's own size-limited filesystem for its inner engine's data and
 * the learner's home: a sparse ext4 image, loop-mounted on the host and bound
 * into the sandbox at /var/lib/docker and /root. This kernel has no disk quotas, so this is what makes
 * "no space left on device" happen inside one sandbox instead of on the
 * host. Sparse: it takes host disk only as the learner fills it.
 *
 * These are host operations (the agent runs as root): util-linux's mount
 * sets up the loop device; nothing here talks to Docker.
 */
export const DATA_DISKS_DIR = "/var/lib/drydock/disks";

/**
 * What lives on the disk: the inner engine's data, and the learner's home
 * (workspace included), so neither can fill the host's disk.
 */
export const DATA_DISK_PARTS = { docker: "docker", home: "home" } as const;

export function dataDiskPaths(sandboxId: string): { image: string; mountPoint: string } {
  return { image: join(DATA_DISKS_DIR, `${sandboxId}.ext4`), mountPoint: join(DATA_DISKS_DIR, sandboxId) };
}

export async function createDataDisk(sandboxId: string, sizeBytes: number): Promise<string> {
  const { image, mountPoint } = dataDiskPaths(sandboxId);
  try {
    await mkdir(mountPoint, { recursive: true, mode: 0o700 });
    await writeFile(image, "", { mode: 0o600 });
    await truncate(image, sizeBytes);
    // No reserved blocks: the learner gets the whole size. Lazy init keeps creation fast.
    await run("mkfs.ext4", ["-q", "-F", "-m", "0", "-E", "lazy_itable_init=1,lazy_journal_init=1", image]);
    await run("mount", ["-o", "loop,nosuid,nodev", image, mountPoint]);
    for (const part of Object.values(DATA_DISK_PARTS)) await mkdir(join(mountPoint, part));
    return mountPoint;
  } catch (error) {
    await removeDataDisk(sandboxId).catch(() => {});
    throw new EngineError(
      `Could not make the sandbox's ${Math.round(sizeBytes / 2 ** 20)} MiB data disk: ${(error as Error).message}`,
      "The agent must run as root on a host with loop devices and mkfs.ext4 (e2fsprogs); or set SANDBOX_DISK_MIB=0 to do without a disk limit.",
      "sandbox-failed",
      { cause: error },
    );
  }
}

/** A data disk found on the host: its image file, its mount point, or both. */
export interface DataDiskOnHost {
  sandboxId: string;
  mounted: boolean;
  /** The latest change of its image or mount point (ms since the epoch). */
  modifiedMs: number;
}

/** Every data disk on this host, of every fleet: image files, mount points and mounts under the disks folder. */
export async function listDataDisks(): Promise<DataDiskOnHost[]> {
  const names = await readdir(DATA_DISKS_DIR).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  const mounted = await mountedDisks();
  const ids = new Set([...names.map((name) => name.replace(/\.ext4$/, "")), ...mounted]);
  const disks: DataDiskOnHost[] = [];
  for (const sandboxId of ids) {
    const { image, mountPoint } = dataDiskPaths(sandboxId);
    const times = await Promise.all(
      [image, mountPoint].map((path) =>
        stat(path).then(
          (info) => info.mtimeMs,
          () => 0,
        ),
      ),
    );
    disks.push({ sandboxId, mounted: mounted.has(sandboxId), modifiedMs: Math.max(...times) });
  }
  return disks;
}

/** Sandbox ids whose mount point under the disks folder is mounted (from /proc/mounts). */
async function mountedDisks(): Promise<Set<string>> {
  const table = await readFile("/proc/mounts", "utf8");
  return new Set(mountsUnder(table, DATA_DISKS_DIR));
}

/** The names of the mount points directly under `dir` in a /proc/mounts table (octal escapes decoded). */
export function mountsUnder(table: string, dir: string): string[] {
  const names: string[] = [];
  for (const line of table.split("\n")) {
    const target = line.split(" ")[1]?.replace(/\\([0-7]{3})/g, (_, code: string) => String.fromCharCode(Number.parseInt(code, 8)));
    if (target?.startsWith(`${dir}/`) && !target.slice(dir.length + 1).includes("/")) names.push(target.slice(dir.length + 1));
  }
  return names;
}

/** Unmounts and deletes a sandbox's data disk; a no-op when it has none. */
export async function removeDataDisk(sandboxId: string): Promise<void> {
  const { image, mountPoint } = dataDiskPaths(sandboxId);
  // Lazy: the kernel detaches it (and its loop device) once the sandbox's last process has let go.
  if ((await mountedDisks()).has(sandboxId)) {
    await run("umount", ["--lazy", mountPoint]).catch(async (error: unknown) => {
      // Another remover (the agent's sweep, `npm run stop`) may have been first.
      if ((await mountedDisks()).has(sandboxId)) throw error;
    });
  }
  await rmdir(mountPoint).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
  await rm(image, { force: true });
}
