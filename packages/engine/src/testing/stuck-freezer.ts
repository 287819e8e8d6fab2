import { type ChildProcess, execFile, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { mkdtemp, rmdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { freezerOf } from "../freezer";

const run = promisify(execFile);

/**
 * Leaves a container's cgroup stuck in FREEZING, as CI once found a paused
 * sandbox: a process in the cgroup waits on a FUSE request its daemon never
 * answers. The freezer's fake signal interrupts the wait, the kernel asks the
 * daemon to interrupt the request, and then waits for its answer killably
 * but not freezably (fuse's request_wait_answer): the cgroup never becomes
 * FROZEN. runc reads the state in a loop while it says FREEZING, so Docker's
 * calls on the container (inspect, exec, pause, unpause, kill, remove) block
 * until someone thaws it. The rootless sandbox's own fuse mounts can do the
 * same; this makes it happen on cue.
 *
 * Host root only (it mounts a FUSE filesystem and writes the cgroup). The
 * waiting process is a host process moved into the container's freezer
 * cgroup only: it is not the learner's and outlives the container.
 */
export interface StuckFreezer {
  /** Freezes the cgroup behind Docker's back; it stays FREEZING. */
  freeze(): Promise<void>;
  /** Kills the waiting process and unmounts the filesystem; the cgroup can freeze (or go) again. */
  release(): Promise<void>;
}

/** Answers the kernel's INIT on fd 3 and nothing after it: every later request waits for ever. Tells its parent of each. */
const SILENT_FUSE_DAEMON = `
const { readSync, writeSync } = require("node:fs");
const request = Buffer.alloc(1 << 20);
const FUSE_INIT = 26;
for (;;) {
  try { readSync(3, request, 0, request.length, null); } catch { process.exit(0); }
  const opcode = request.readUInt32LE(4);
  const unique = request.readBigUInt64LE(8);
  if (opcode !== FUSE_INIT) { process.send(opcode); continue; }
  // fuse_out_header (16 bytes) and fuse_init_out (64): protocol 7.31, 4 KiB writes, no features.
  const reply = Buffer.alloc(80);
  reply.writeUInt32LE(reply.length, 0);
  reply.writeBigUInt64LE(unique, 8);
  reply.writeUInt32LE(7, 16);
  reply.writeUInt32LE(31, 20);
  reply.writeUInt32LE(4096, 24);
  reply.writeUInt16LE(16, 32);
  reply.writeUInt16LE(12, 34);
  reply.writeUInt32LE(4096, 36);
  reply.writeUInt32LE(1, 40);
  reply.writeUInt16LE(1, 44);
  writeSync(3, reply);
}
`;

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()));
}

export async function stickFreezer(containerId: string): Promise<StuckFreezer> {
  const freezer = await freezerOf(containerId);
  if (freezer?.version !== 1) throw new Error(`stickFreezer needs the cgroup v1 freezer of ${containerId}, found ${freezer?.file}`);
  const procs = join(freezer.file, "..", "cgroup.procs");
  const mountPoint = await mkdtemp(join(tmpdir(), "drydock-stuck-fuse-"));
  const device = openSync("/dev/fuse", "r+");
  const mount = spawn("mount", ["-i", "-t", "fuse", "-o", "fd=3,rootmode=40000,user_id=0,group_id=0", "drydock-stuck", mountPoint], {
    stdio: ["ignore", "ignore", "pipe", device],
  });
  // The daemon holds the connection's only descriptor: once it is killed, the kernel aborts the connection and every wait on it ends.
  const daemon = spawn(process.execPath, ["-e", SILENT_FUSE_DAEMON], { stdio: ["ignore", "ignore", "inherit", device, "ipc"] });
  closeSync(device);
  let waiter: ChildProcess | undefined;
  const release = async () => {
    // A process dies only once thawed: the waiter is the cgroup's, frozen with it.
    await writeFile(freezer.file, "THAWED").catch(() => {});
    for (const child of [waiter, daemon]) child?.kill("SIGKILL");
    await Promise.all([waiter, daemon].map((child) => child && exited(child)));
    await run("umount", ["-l", mountPoint]).catch(() => {});
    await rmdir(mountPoint).catch(() => {});
    // Removed with the container unless the waiter still held it then; refused (busy) while the container lives.
    await rmdir(dirname(freezer.file)).catch(() => {});
  };
  try {
    let stderr = "";
    mount.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await exited(mount);
    if (mount.exitCode !== 0) throw new Error(`mount -t fuse failed (${mount.exitCode}): ${stderr}`);
    const asked = new Promise((resolve) => daemon.once("message", resolve));
    waiter = spawn("stat", [join(mountPoint, "never-answered")], { stdio: "ignore" });
    await asked;
    const { pid } = waiter;
    if (pid === undefined) throw new Error("the waiting process did not start");
    await writeFile(procs, String(pid));
    return {
      freeze: () => writeFile(freezer.file, "FROZEN"),
      release,
    };
  } catch (error) {
    await release();
    throw error;
  }
}
