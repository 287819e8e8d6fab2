import { PassThrough } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { EngineError } from "../errors";
import type { ExecStream } from "../exec";
import { WORKSPACE_CHANGED } from "./coalesce";
import type { FileChange, FileTree } from "./sandbox-files";
import { WorkspaceWatch } from "./watch";

/** A stand-in for the watch script's exec: the test plays inotifywait. */
class FakeRun implements ExecStream {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  closed = false;
  private finish: (status: number) => void = () => {};
  readonly exited = new Promise<number>((resolve) => {
    this.finish = resolve;
  });
  dispose(): void {
    this.closed = true;
    this.exit(-1);
  }
  established(): void {
    this.stderr.write("Setting up watches.  Beware: since -r was given, this may take a while!\nWatches established.\n");
  }
  event(flags: string, path: string): void {
    this.stdout.write(`${flags}\0/root/lab/${path}\0`);
  }
  exit(status: number): void {
    this.finish(status);
  }
}

function harness(options: { start?: () => Promise<ExecStream>; list?: () => Promise<FileTree> } = {}) {
  const runs: FakeRun[] = [];
  const batches: FileChange[][] = [];
  const problems: string[] = [];
  const watch = new WorkspaceWatch(
    {
      workspace: "/root/lab",
      start:
        options.start ??
        (async () => {
          const run = new FakeRun();
          runs.push(run);
          return run;
        }),
      list: options.list ?? (async () => ({ entries: [], truncated: false })),
      pollIntervalMs: 20,
    },
    (batch) => batches.push(batch),
    (error) => problems.push(error.message),
  );
  return { watch, runs, batches, problems };
}

describe("watching a workspace", () => {
  it("is ready once inotifywait has established its watches, and reports coalesced changes", async () => {
    const { watch, runs, batches } = harness();
    await vi.waitFor(() => expect(runs).toHaveLength(1));
    runs[0]?.established();
    expect(await watch.ready).toBe("inotify");
    runs[0]?.event("CREATE", "a.txt");
    runs[0]?.event("CLOSE_WRITE,CLOSE", "a.txt");
    await vi.waitFor(() => expect(batches).toEqual([[{ path: "a.txt", kind: "created", type: "file" }]]));
    watch.dispose();
    expect(runs[0]?.closed).toBe(true);
  });

  it("restarts inotifywait when it dies, then says the workspace may have changed meanwhile", async () => {
    const { watch, runs, batches } = harness();
    await vi.waitFor(() => expect(runs).toHaveLength(1));
    runs[0]?.established();
    await watch.ready;
    runs[0]?.exit(1);
    await vi.waitFor(() => expect(runs).toHaveLength(2), { timeout: 2000 });
    runs[1]?.established();
    await vi.waitFor(() => expect(batches).toEqual([[WORKSPACE_CHANGED]]));
    watch.dispose();
  });

  it("starts over when the workspace folder is replaced, then says it changed", async () => {
    const { watch, runs, batches } = harness();
    await vi.waitFor(() => expect(runs).toHaveLength(1));
    runs[0]?.established();
    runs[0]?.stderr.write("drydock-files: the workspace was replaced\n");
    runs[0]?.exit(0);
    await vi.waitFor(() => expect(batches).toEqual([[{ path: "", kind: "deleted", type: "dir" }]]));
    await vi.waitFor(() => expect(runs).toHaveLength(2), { timeout: 2000 });
    runs[1]?.stderr.write("drydock-files: waiting for the workspace\n");
    runs[1]?.established();
    await vi.waitFor(() => expect(batches).toEqual([[{ path: "", kind: "deleted", type: "dir" }], [WORKSPACE_CHANGED]]));
    watch.dispose();
  });

  it("polls listings when inotifywait is missing", async () => {
    let listing: FileTree = { entries: [], truncated: false };
    const { watch, runs, batches, problems } = harness({ list: async () => listing });
    await vi.waitFor(() => expect(runs).toHaveLength(1));
    runs[0]?.exit(127);
    expect(await watch.ready).toBe("poll");
    expect(problems.join()).toMatch(/not installed.*polling/);
    listing = { entries: [{ path: "new.txt", type: "file", size: 1, mtimeMs: 1 }], truncated: false };
    await vi.waitFor(() => expect(batches).toEqual([[{ path: "new.txt", kind: "created", type: "file" }]]));
    watch.dispose();
  });

  it("polls when inotifywait keeps failing before it can watch, naming its complaint", async () => {
    const { watch, runs, problems } = harness();
    for (let i = 0; i < 3; i++) {
      await vi.waitFor(() => expect(runs).toHaveLength(i + 1), { timeout: 3000 });
      runs[i]?.stderr.write("Failed to watch /root/lab; upper limit on inotify watches reached!\n");
      runs[i]?.exit(1);
    }
    expect(await watch.ready).toBe("poll");
    expect(problems.at(-1)).toMatch(/upper limit on inotify watches reached.*polling/);
    watch.dispose();
  });

  it("gives up when the sandbox is gone, and rejects ready", async () => {
    const gone = new EngineError("Sandbox sbx_x is not running.", "Start a new session.", "sandbox-not-found");
    const { watch, problems } = harness({ start: () => Promise.reject(gone) });
    await expect(watch.ready).rejects.toThrow(/not running/);
    expect(problems).toEqual(["Sandbox sbx_x is not running."]);
  });
});
