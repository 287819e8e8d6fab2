import {
  type FileChange,
  type FileContent,
  type FilesChanged,
  type FileTree,
  type FileWriteResult,
  MAX_FILE_BYTES,
  type Reply,
  SANDBOX_NAMESPACE,
} from "@drydock/protocol";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentHarness, request, startAgentHarness } from "./testing/agent-harness";

let harness: AgentHarness;
let sandboxId: string;

const channel = (rights: "write" | "read" = "write") =>
  harness.connect(SANDBOX_NAMESPACE, { sandboxId, token: harness.token(sandboxId, rights) });

/** Runs a shell command in the workspace, as the learner's terminal would. */
async function sh(command: string): Promise<string> {
  const run = await harness.driver.exec(sandboxId, ["bash", "-c", command]);
  if (run.exitCode !== 0) throw new Error(`"${command}" exited ${run.exitCode}: ${run.stderr}`);
  return run.stdout;
}

async function inotifywaits(): Promise<number> {
  const run = await harness.driver.exec(sandboxId, ["pgrep", "-c", "inotifywait"]);
  return Number(run.stdout.trim() || 0);
}

function value<T>(reply: Reply<T>): T {
  if (!reply.ok) throw new Error(`refused: ${reply.error} (${reply.hint ?? "no hint"})`);
  return reply.value;
}

/** Resolves at the moment a files:changed batch holds a matching change. */
function nextChange(socket: Socket, match: Partial<FileChange>, timeoutMs = 5000): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no files:changed with ${JSON.stringify(match)} within ${timeoutMs} ms`)), timeoutMs);
    const listener = ({ changes }: FilesChanged) => {
      const hit = changes.some((change) => Object.entries(match).every(([key, expected]) => change[key as keyof FileChange] === expected));
      if (!hit) return;
      clearTimeout(timer);
      socket.off("files:changed", listener);
      resolve(performance.now());
    };
    socket.on("files:changed", listener);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

beforeAll(async () => {
  harness = await startAgentHarness();
  sandboxId = await harness.createSandbox();
});

afterAll(async () => {
  await harness?.close();
});

describe("files on the sandbox channel", () => {
  it("saves and reads back the same UTF-8, emoji included, atomically and with its etag", async () => {
    const socket = channel();
    const content = "# Notes 🐳\nünïcødé — “quotes” 日本語\n\ttabs and CRLF\r\n";
    const saved = value(await request<FileWriteResult>(socket, "files:write", { path: "notes/today.md", content }));
    expect(saved).toMatchObject({ status: "written", file: { path: "notes/today.md", size: Buffer.byteLength(content) } });
    const read = value(await request<FileContent>(socket, "files:read", { path: "notes/today.md" }));
    expect(read).toMatchObject({ encoding: "utf8", content });
    expect(saved.status === "written" && "etag" in read && read.etag).toBe(saved.status === "written" && saved.file.etag);
    expect(await sh("cat notes/today.md")).toBe(content);
    const tree = value(await request<FileTree>(socket, "files:list", {}));
    expect(tree.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "notes", type: "dir" }),
        expect.objectContaining({ path: "notes/today.md", type: "file" }),
      ]),
    );
  });

  it("carries a file as large as the limit, and refuses one byte more with the reason", async () => {
    const socket = channel();
    const largest = `${"x".repeat(MAX_FILE_BYTES - 1)}\n`;
    expect(value(await request<FileWriteResult>(socket, "files:write", { path: "largest.txt", content: largest }))).toMatchObject({
      status: "written",
    });
    expect(value(await request<FileContent>(socket, "files:read", { path: "largest.txt" }))).toMatchObject({ content: largest });
    expect(await request(socket, "files:write", { path: "too-large.txt", content: `${largest}!` })).toMatchObject({
      ok: false,
      error: "Invalid files:write request.",
      hint: expect.stringMatching(/larger than 1,048,576 bytes/),
    });
    await sh("yes log line | head -c 2000000 > big.log");
    expect(await request(socket, "files:read", { path: "big.log" })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/big\.log" is 2,000,000 bytes; files are limited to 1,048,576 bytes/),
      hint: expect.stringMatching(/terminal/),
    });
    expect(await sh("ls too-large.txt 2>&1 || true")).toMatch(/No such file/);
  });

  it("reports a binary file made in the terminal as binary", async () => {
    await sh("head -c 1000 /dev/urandom > bin.dat");
    expect(value(await request<FileContent>(channel(), "files:read", { path: "bin.dat" }))).toEqual({
      path: "bin.dat",
      binary: true,
      size: 1000,
      mtimeMs: expect.any(Number),
    });
  });

  it("refuses paths that lead out of the workspace, and writes nothing outside", async () => {
    const socket = channel();
    await sh("ln -s /etc out");
    const refusals = await Promise.all([
      request(socket, "files:read", { path: "../etc/passwd" }),
      request(socket, "files:read", { path: "/etc/passwd" }),
      request(socket, "files:read", { path: "out/passwd" }),
      request(socket, "files:write", { path: "out/x", content: "x" }),
      request(socket, "files:write", { path: "../x", content: "x" }),
      request(socket, "files:create", { path: "out/newdir", kind: "dir" }),
      request(socket, "files:rename", { from: "bin.dat", to: "out/bin.dat" }),
      request(socket, "files:delete", { path: "out/hostname" }),
      request(socket, "files:list", { dir: "out" }),
    ]);
    for (const reply of refusals) {
      expect(reply).toMatchObject({
        ok: false,
        error: expect.stringMatching(/leads out of the workspace|absolute path/),
        hint: expect.any(String),
      });
    }
    expect(await sh("ls /etc/x /etc/newdir /etc/bin.dat /root/x 2>&1 || true")).not.toMatch(/^\/(etc|root)/m);
    expect(await sh("test -f /etc/hostname && test -f bin.dat && echo intact")).toBe("intact\n");
  });

  it("refuses a save over a change made in the terminal since the read, with the current etag", async () => {
    const socket = channel();
    const first = value(await request<FileWriteResult>(socket, "files:write", { path: "Dockerfile", content: "FROM debian:bookworm\n" }));
    if (first.status !== "written") throw new Error("the first save was refused");
    await sh("echo 'RUN apt-get update' >> Dockerfile");
    const stale = value(
      await request<FileWriteResult>(socket, "files:write", { path: "Dockerfile", content: "FROM scratch\n", ifMatch: first.file.etag }),
    );
    expect(stale).toMatchObject({
      status: "conflict",
      message: expect.stringMatching(/changed since it was opened/),
      current: { path: "Dockerfile" },
    });
    expect(await sh("cat Dockerfile")).toBe("FROM debian:bookworm\nRUN apt-get update\n");
    const current = value(await request<FileContent>(socket, "files:read", { path: "Dockerfile" }));
    expect(stale.status === "conflict" && stale.current?.etag).toBe("etag" in current && current.etag);
    const overwrite = await request<FileWriteResult>(socket, "files:write", {
      path: "Dockerfile",
      content: "FROM scratch\n",
      ifMatch: stale.status === "conflict" ? stale.current?.etag : undefined,
    });
    expect(overwrite).toMatchObject({ ok: true, value: { status: "written" } });
  });

  it("creates, renames and deletes", async () => {
    const socket = channel();
    expect(await request(socket, "files:create", { path: "app/src", kind: "dir" })).toMatchObject({ ok: true, value: { type: "dir" } });
    expect(await request(socket, "files:create", { path: "app/src/main.py", kind: "file" })).toMatchObject({
      ok: true,
      value: { path: "app/src/main.py", type: "file", size: 0 },
    });
    expect(await request(socket, "files:create", { path: "app/src/main.py", kind: "file" })).toMatchObject({
      ok: false,
      error: '"app/src/main.py" already exists.',
    });
    expect(await request(socket, "files:rename", { from: "app/src/main.py", to: "app/app.py" })).toEqual({ ok: true, value: null });
    expect(await request(socket, "files:delete", { path: "app/src" })).toEqual({ ok: true, value: null });
    expect(await sh("find app | sort")).toBe("app\napp/app.py\n");
    expect(await request(socket, "files:delete", { path: "app/src" })).toMatchObject({ ok: false, error: '"app/src" does not exist.' });
  });

  it("lets a watcher list, read and watch, but not change anything", async () => {
    const watcher = channel("read");
    expect(await request(watcher, "files:list", {})).toMatchObject({ ok: true });
    expect(await request(watcher, "files:read", { path: "Dockerfile" })).toMatchObject({ ok: true, value: { content: "FROM scratch\n" } });
    expect(await request(watcher, "files:watch", {})).toEqual({ ok: true, value: { mode: "inotify" } });
    const refused = { ok: false, error: "Watchers cannot change files." };
    expect(await request(watcher, "files:write", { path: "Dockerfile", content: "hacked" })).toMatchObject(refused);
    expect(await request(watcher, "files:create", { path: "new", kind: "file" })).toMatchObject(refused);
    expect(await request(watcher, "files:rename", { from: "Dockerfile", to: "x" })).toMatchObject(refused);
    expect(await request(watcher, "files:delete", { path: "Dockerfile" })).toMatchObject(refused);
    expect(await sh("cat Dockerfile; ls new x 2>&1 || true")).toMatch(/^FROM scratch\n.*No such file/s);
    watcher.close();
  });

  it("refuses bad payloads with a reason and keeps serving", async () => {
    const socket = channel();
    const bad: [string, unknown][] = [
      ["files:read", "not an object"],
      ["files:read", { path: 5 }],
      ["files:read", {}],
      ["files:read", { path: "a", extra: true }],
      ["files:write", { path: "a" }],
      ["files:write", { path: "a", content: "x", ifMatch: "stale" }],
      ["files:create", { path: "a", kind: "socket" }],
      ["files:rename", { from: "a" }],
      ["files:list", { dir: 7 }],
      ["files:watch", { please: true }],
      ["files:read", { path: "a\0b" }],
      ["files:read", { path: "x".repeat(5000) }],
    ];
    for (const [event, payload] of bad) {
      expect(await request(socket, event, payload), `${event} ${JSON.stringify(payload)}`).toMatchObject({
        ok: false,
        error: expect.any(String),
      });
    }
    // A request without an acknowledgement is handled and dropped, not a crash.
    socket.emit("files:read", { path: "Dockerfile" });
    socket.emit("files:write", null);
    expect(await request(socket, "files:read", { path: "Dockerfile" })).toMatchObject({ ok: true });
  });

  it("pushes a file created in the terminal within a second, sharing one watch per sandbox", async () => {
    const first = channel("read");
    const second = channel();
    expect(value(await request(first, "files:watch", {}))).toEqual({ mode: "inotify" });
    expect(value(await request(second, "files:watch", {}))).toEqual({ mode: "inotify" });
    expect(await inotifywaits()).toBe(1);

    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const arrived = Promise.all([
        nextChange(first, { path: `touched-${i}`, kind: "created" }),
        nextChange(second, { path: `touched-${i}` }),
      ]);
      const started = performance.now();
      await sh(`touch touched-${i}`);
      const [at] = await arrived;
      latencies.push(at - started);
    }
    console.log(
      `files:changed after a terminal touch: p50 ${median(latencies).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`,
    );
    expect(Math.max(...latencies)).toBeLessThan(1000);

    const changed = nextChange(second, { path: "Dockerfile", kind: "changed" });
    await sh("echo 'CMD [\"bash\"]' >> Dockerfile");
    await changed;

    // The last socket leaving stops the watch in the sandbox; one leaving early does not.
    expect(await request(first, "files:unwatch", {})).toEqual({ ok: true, value: null });
    expect(await inotifywaits()).toBe(1);
    second.close();
    await expect.poll(inotifywaits, { timeout: 3000 }).toBe(0);
    first.close();
  });

  it("measures a small file's save and read through the socket", async () => {
    const socket = channel();
    const writes: number[] = [];
    const reads: number[] = [];
    for (let i = 0; i < 20; i++) {
      let started = performance.now();
      value(await request(socket, "files:write", { path: "timing.txt", content: `round ${i}\n` }));
      writes.push(performance.now() - started);
      started = performance.now();
      value(await request(socket, "files:read", { path: "timing.txt" }));
      reads.push(performance.now() - started);
    }
    console.log(`files over socket.io, small file: write p50 ${median(writes).toFixed(1)} ms, read p50 ${median(reads).toFixed(1)} ms`);
    expect(median(writes)).toBeLessThan(500);
  });
});
