import { randomBytes } from "node:crypto";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerInDockerDriver, type DockerInDockerOptions } from "../docker-in-docker-driver";
import { removeFleet } from "../removal";
import { createTestNetwork, smallSandboxOptions, type TestNetwork } from "../testing";
import { etagOf } from "./content";
import { FileConflictError } from "./errors";
import type { FileChange, SandboxFiles } from "./sandbox-files";

const docker = new Docker();
const fleet = `files-test-${randomBytes(4).toString("hex")}`;
let network: TestNetwork;
let driver: DockerInDockerDriver;
let sandboxId: string;
let files: SandboxFiles;

/** The same sandbox through a driver with other files limits. */
function withLimits(limits: DockerInDockerOptions["files"]): SandboxFiles {
  return new DockerInDockerDriver({ ...driverOptions(), files: limits }).files(sandboxId);
}

function driverOptions(): DockerInDockerOptions {
  return smallSandboxOptions(docker, fleet, network.name);
}

/** Runs a shell command as the learner's terminal would, in the workspace unless it is gone. */
async function sh(command: string, workingDir = "/root/lab"): Promise<string> {
  const result = await driver.exec(sandboxId, ["bash", "-c", command], { workingDir });
  if (result.exitCode !== 0) throw new Error(`${command} exited ${result.exitCode}: ${result.stderr}`);
  return result.stdout;
}

/** Collects watch batches; `until` resolves with the first change matching. */
function collector() {
  const changes: { at: number; change: FileChange }[] = [];
  const waiters: { match: (change: FileChange) => boolean; resolve: (at: number) => void }[] = [];
  return {
    changes,
    onChange(batch: FileChange[]) {
      const at = performance.now();
      for (const change of batch) {
        changes.push({ at, change });
        for (const waiter of waiters.filter((w) => w.match(change))) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(at);
        }
      }
    },
    until(match: Partial<FileChange>, timeoutMs = 5000): Promise<number> {
      const matches = (change: FileChange) => Object.entries(match).every(([key, value]) => change[key as keyof FileChange] === value);
      const seen = changes.find(({ change }) => matches(change));
      if (seen) return Promise.resolve(seen.at);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${JSON.stringify(match)} within ${timeoutMs} ms; saw ${JSON.stringify(changes)}`)),
          timeoutMs,
        );
        waiters.push({
          match: matches,
          resolve: (at) => {
            clearTimeout(timer);
            resolve(at);
          },
        });
      });
    },
  };
}

async function watchers(): Promise<number> {
  const result = await driver.exec(sandboxId, ["pgrep", "-c", "inotifywait"]);
  return Number(result.stdout.trim() || 0);
}

beforeAll(async () => {
  network = await createTestNetwork(docker);
  driver = new DockerInDockerDriver(driverOptions());
  sandboxId = (await driver.create({ owner: "files-test", lifetimeSeconds: 600 })).id;
  files = driver.files(sandboxId);
});

afterAll(async () => {
  await removeFleet(fleet, docker);
  await network?.remove();
});

describe("the workspace's files on a real sandbox", () => {
  it("writes atomically and reads back the same text, emoji and byte-order mark included", async () => {
    const content = "\uFEFFFROM debian:bookworm\nRUN echo 'ünïcødé 🐳' \\\n  && true\n";
    const written = await files.write("app/Dockerfile", content);
    expect(written.etag).toBe(etagOf(Buffer.from(content)));
    expect(await sh("sha256sum app/Dockerfile")).toContain(written.etag);
    expect(await files.read("app/Dockerfile")).toEqual({ encoding: "utf8", content, ...written });
    expect(await sh("ls -A app")).toBe("Dockerfile\n");
  });

  it("writes many files in one run, in order, each byte for byte, a later one of the same path winning", async () => {
    const emoji = "\uFEFFünïcødé 🐳\n";
    await files.writeMany([
      { path: "many/a.txt", content: "first\n" },
      { path: "many/deep/er/b.txt", content: emoji },
      { path: "many/empty", content: "" },
      { path: "many/nul-free\nname", content: "x".repeat(70_000) },
      { path: "many/a.txt", content: "second, no newline" },
    ]);
    expect(await sh("cat many/a.txt; echo; cat many/deep/er/b.txt; wc -c < many/empty; wc -c < 'many/nul-free\nname'")).toBe(
      `second, no newline\n${emoji}0\n70000\n`,
    );
    expect(await sh("sha256sum many/deep/er/b.txt")).toContain(etagOf(Buffer.from(emoji)));
    expect(await sh("ls -A --quoting-style=c many")).toBe('"a.txt"\n"deep"\n"empty"\n"nul-free\\nname"\n');
  });

  it("stops a batch at the first file refused, naming it, having written the ones before only", async () => {
    await sh("mkdir -p batch && ln -s /etc batch/out");
    const refusal = files.writeMany([
      { path: "batch/before.txt", content: "kept" },
      { path: "batch/out/x", content: "x" },
      { path: "batch/after.txt", content: "never" },
    ]);
    await expect(refusal).rejects.toMatchObject({ code: "path-refused", message: expect.stringMatching(/"batch\/out\/x"/) });
    expect(await sh("cat batch/before.txt; echo; ls batch; test ! -e /etc/x && echo nothing-outside")).toBe(
      "kept\nbefore.txt\nout\nnothing-outside\n",
    );
    await expect(files.writeMany([{ path: "../escape", content: "x" }])).rejects.toMatchObject({ code: "path-refused" });
    await expect(withLimits({ maxFileBytes: 10 }).writeMany([{ path: "batch/big", content: "x".repeat(11) }])).rejects.toMatchObject({
      code: "file-too-large",
    });
  });

  it("keeps a file's mode across saves, and writes through a symlink that stays inside", async () => {
    await sh("printf 'echo hi\\n' > run.sh && chmod 755 run.sh && ln -s run.sh alias.sh");
    await files.write("alias.sh", "echo bye\n");
    expect(await sh("stat -c %a run.sh; cat run.sh; readlink alias.sh")).toBe("755\necho bye\nrun.sh\n");
  });

  it("lists files, folders and symlinks, capped with a flag", async () => {
    await sh("mkdir -p tree/sub && touch tree/a tree/sub/b && ln -s a tree/link && mkfifo tree/fifo");
    expect(await files.list("tree")).toEqual({
      truncated: false,
      entries: [
        expect.objectContaining({ path: "tree/a", type: "file", size: 0 }),
        expect.objectContaining({ path: "tree/link", type: "symlink" }),
        expect.objectContaining({ path: "tree/sub", type: "dir" }),
        expect.objectContaining({ path: "tree/sub/b", type: "file" }),
      ],
    });
    const capped = await withLimits({ maxListEntries: 2 }).list("tree");
    expect(capped.truncated).toBe(true);
    // Shallowest first: the cap cuts tree/sub/b, never a top-level entry.
    expect(capped.entries.map((entry) => entry.path)).not.toContain("tree/sub/b");
  });

  it("refuses what leads out of the workspace, writing nothing outside", async () => {
    await sh("ln -s /etc out && ln -s /etc/hostname host && ln -s /nowhere/x dangling && ln -s ../ up");
    const refused = { code: "path-refused", message: expect.stringMatching(/leads out of the workspace/) };
    await expect(files.read("out/passwd")).rejects.toMatchObject(refused);
    await expect(files.read("host")).rejects.toMatchObject(refused);
    await expect(files.read("up/.bashrc")).rejects.toMatchObject(refused);
    await expect(files.write("out/x", "x")).rejects.toMatchObject(refused);
    await expect(files.write("out/new/deep.txt", "x")).rejects.toMatchObject(refused);
    await expect(files.write("host", "x")).rejects.toMatchObject(refused);
    await expect(files.write("dangling", "x")).rejects.toMatchObject(refused);
    await expect(files.create("out/made", "dir")).rejects.toMatchObject(refused);
    await expect(files.remove("out/hostname")).rejects.toMatchObject(refused);
    await expect(files.list("out")).rejects.toMatchObject(refused);
    await sh("echo moved > movable.txt");
    await expect(files.rename("movable.txt", "out/movable.txt")).rejects.toMatchObject(refused);
    await expect(files.read("../etc/passwd")).rejects.toMatchObject({ code: "path-refused", message: expect.stringMatching(/\.\./) });
    await expect(files.read("/etc/passwd")).rejects.toMatchObject({ code: "path-refused", message: expect.stringMatching(/absolute/) });
    expect(await sh("ls /etc/x /etc/new /etc/made /etc/movable.txt 2>&1 || true")).not.toMatch(/^\/etc/m);
    expect(await sh("cat /etc/hostname")).not.toBe("x");
    // Deleting a symlink deletes the link, never its target.
    await files.remove("out");
    expect(await sh("test -f /etc/passwd && test ! -e out && echo kept")).toBe("kept\n");
  });

  it("reports binary files as binary, whatever their size, and refuses oversize text", async () => {
    await sh(
      "head -c 1000 /dev/urandom > bin.dat && printf 'ok\\0ok' > nul.txt && head -c 3000000 /dev/urandom > big.bin && yes line | head -c 1200000 > big.log",
    );
    expect(await files.read("bin.dat")).toMatchObject({ binary: true, size: 1000 });
    expect(await files.read("nul.txt")).toMatchObject({ binary: true, size: 5 });
    expect(await files.read("big.bin")).toMatchObject({ binary: true, size: 3_000_000 });
    await expect(files.read("big.log")).rejects.toMatchObject({
      code: "file-too-large",
      message: expect.stringMatching(/1,200,000 bytes.*1,048,576/),
    });
    await expect(files.write("huge.txt", "x".repeat(1024 * 1024 + 1))).rejects.toMatchObject({ code: "file-too-large" });
    expect(await sh("ls huge.txt 2>&1 || true")).toMatch(/No such file/);
  });

  it("refuses pipes and folders as files, quickly", async () => {
    await sh("mkfifo pipe");
    const wrongType = { code: "file-wrong-type" };
    await expect(files.read("pipe")).rejects.toMatchObject(wrongType);
    await expect(files.read("app")).rejects.toMatchObject(wrongType);
    await expect(files.write("app", "x")).rejects.toMatchObject(wrongType);
    await expect(files.write("app/Dockerfile/x", "x")).rejects.toMatchObject({
      code: "file-wrong-type",
      message: expect.stringMatching(/is a file/),
    });
  });

  it("refuses a save over a change made since the read, naming the current etag", async () => {
    const first = await files.write("notes.md", "draft 1\n");
    await sh("echo 'from the terminal' >> notes.md");
    const error = await files.write("notes.md", "draft 2\n", { ifMatch: first.etag }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileConflictError);
    const current = (error as FileConflictError).current;
    expect(current?.etag).toBe(etagOf(Buffer.from("draft 1\nfrom the terminal\n")));
    expect(await sh("cat notes.md")).toBe("draft 1\nfrom the terminal\n");
    await expect(files.write("notes.md", "draft 2\n", { ifMatch: current?.etag })).resolves.toMatchObject({ size: 8 });
    await sh("rm notes.md");
    await expect(files.write("notes.md", "draft 3\n", { ifMatch: current?.etag })).rejects.toMatchObject({
      code: "file-conflict",
      current: undefined,
    });
  });

  it("creates, renames and deletes, refusing to clobber", async () => {
    await expect(files.create("made/empty.txt", "file")).resolves.toMatchObject({ path: "made/empty.txt", type: "file", size: 0 });
    await expect(files.create("made/dir", "dir")).resolves.toMatchObject({ type: "dir" });
    await expect(files.create("made/empty.txt", "file")).rejects.toMatchObject({ code: "file-exists" });
    await files.write("made/other.txt", "other");
    await expect(files.rename("made/empty.txt", "made/other.txt")).rejects.toMatchObject({ code: "file-exists" });
    await files.rename("made/empty.txt", "moved/deeper/empty.txt");
    await expect(files.rename("made", "made/dir/inside")).rejects.toMatchObject({ code: "path-refused" });
    await expect(files.rename("nothing", "else")).rejects.toMatchObject({ code: "file-not-found" });
    await files.remove("made");
    await expect(files.remove("made")).rejects.toMatchObject({ code: "file-not-found" });
    expect(await sh("find made moved 2>/dev/null | sort; true")).toBe("moved\nmoved/deeper\nmoved/deeper/empty.txt\n");
  });

  it("reports a file created in the terminal within a second, and stops its process when disposed", async () => {
    const seen = collector();
    const watch = files.watch(seen.onChange);
    expect(await watch.ready).toBe("inotify");
    const started = performance.now();
    await sh("touch from-terminal.txt");
    const latency = (await seen.until({ path: "from-terminal.txt", kind: "created" })) - started;
    console.log(`files watch: created-in-terminal to event ${latency.toFixed(0)} ms`);
    expect(latency).toBeLessThan(1000);
    await sh("echo more >> from-terminal.txt && rm bin.dat && mkdir newdir");
    await seen.until({ path: "from-terminal.txt", kind: "changed" });
    await seen.until({ path: "bin.dat", kind: "deleted" });
    await seen.until({ path: "newdir", kind: "created", type: "dir" });
    // The editor's own save shows as one change of the file, never its temporary file.
    await files.write("saved.txt", "saved");
    await seen.until({ path: "saved.txt" });
    expect(seen.changes.filter(({ change }) => change.path.includes(".drydock-write"))).toEqual([]);
    expect(await watchers()).toBe(1);
    watch.dispose();
    await expect.poll(watchers, { timeout: 3000 }).toBe(0);
  });

  it("starts over when the workspace itself is deleted and recreated", async () => {
    const seen = collector();
    const watch = files.watch(seen.onChange);
    await watch.ready;
    await sh("mv /root/lab /root/lab.away", "/");
    try {
      await seen.until({ path: "", kind: "deleted" });
      await sh("mkdir /root/lab && touch /root/lab/fresh.txt", "/");
      // Changes during the gap are not reported one by one: the workspace is to be listed again.
      await seen.until({ path: "", kind: "changed", type: "dir" });
      await sh("touch /root/lab/after.txt");
      await seen.until({ path: "after.txt", kind: "created" });
      watch.dispose();
    } finally {
      await sh("rm -rf /root/lab && mv /root/lab.away /root/lab", "/");
    }
    await expect.poll(watchers, { timeout: 3000 }).toBe(0);
  });

  it("polls when inotifywait is missing", async () => {
    // Hidden by a /usr/bin of links to all the rest: the learner (root of a user namespace in
    // rootless sandboxes) cannot change the image's /usr, but may mount in its own mount namespace.
    await sh(
      "mkdir -p /tmp/bin.orig /tmp/bin.hidden && mount --bind /usr/bin /tmp/bin.orig && " +
        'for f in /tmp/bin.orig/*; do [ "$(basename "$f")" = inotifywait ] || ln -sf "$f" /tmp/bin.hidden/; done && ' +
        "mount --bind /tmp/bin.hidden /usr/bin",
    );
    try {
      const seen = collector();
      const problems: string[] = [];
      const watch = files.watch(seen.onChange, (error) => problems.push(error.message));
      expect(await watch.ready).toBe("poll");
      expect(problems.join()).toMatch(/not installed.*polling every 500 ms/);
      const started = performance.now();
      await sh("touch polled.txt");
      const latency = (await seen.until({ path: "polled.txt", kind: "created" })) - started;
      console.log(`files watch (polling): created-in-terminal to event ${latency.toFixed(0)} ms`);
      expect(latency).toBeLessThan(1500);
      watch.dispose();
    } finally {
      await sh("umount /usr/bin && umount /tmp/bin.orig");
    }
  });

  it("refuses everything when the workspace is a symlink", async () => {
    await sh("mv /root/lab /root/lab.real && ln -s / /root/lab");
    try {
      await expect(files.list()).rejects.toMatchObject({ code: "path-refused", message: expect.stringMatching(/not a plain folder/) });
      await expect(files.write("etc/x", "x")).rejects.toMatchObject({ code: "path-refused" });
    } finally {
      await sh("rm /root/lab && mv /root/lab.real /root/lab", "/");
    }
    expect(await sh("ls /etc/x 2>&1 || true")).toMatch(/No such file/);
  });

  it("measures a small file's write and read", async () => {
    const rounds = 20;
    const writes: number[] = [];
    const reads: number[] = [];
    for (let i = 0; i < rounds; i++) {
      let t = performance.now();
      await files.write("timing.txt", `round ${i}\n`);
      writes.push(performance.now() - t);
      t = performance.now();
      await files.read("timing.txt");
      reads.push(performance.now() - t);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    console.log(`files: small file write p50 ${median(writes).toFixed(1)} ms, read p50 ${median(reads).toFixed(1)} ms`);
    expect(median(writes)).toBeLessThan(500);
  });
});
