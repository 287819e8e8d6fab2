import { PassThrough } from "node:stream";
import type { ImagesSnapshot } from "@drydock/protocol";
import { describe, expect, it, vi } from "vitest";
import { EngineError } from "../errors";
import type { ExecStream } from "../exec";
import { ImageWatch } from "./watch";

/** A stand-in for the sandbox: event streams the test writes to and ends, and scans answering the current images. */
function fakeSandbox() {
  const streams: { stdout: PassThrough; end(): void; disposed: boolean }[] = [];
  let tags: string[] = [];
  let failScan: Error | undefined;
  const source = {
    scans: 0,
    async scan(): Promise<ImagesSnapshot> {
      source.scans++;
      if (failScan) throw failScan;
      return {
        images: tags.map((tag) => ({ id: `sha256:${tag}`, tags: [tag], createdAt: "", size: 0, layers: [] })),
        omitted: 0,
        takenAt: String(Math.random()),
      };
    },
    async events(): Promise<ExecStream> {
      let end = () => {};
      const exited = new Promise<number>((resolve) => {
        end = () => resolve(0);
      });
      const entry = { stdout: new PassThrough(), end, disposed: false };
      streams.push(entry);
      return {
        stdout: entry.stdout,
        stderr: new PassThrough(),
        exited,
        dispose: () => {
          entry.disposed = true;
        },
      };
    },
  };
  return {
    source,
    streams,
    setTags(next: string[]) {
      tags = next;
    },
    failScans(error: Error | undefined) {
      failScan = error;
    },
  };
}

const tagsOf = (snapshot: ImagesSnapshot) => snapshot.images.flatMap((image) => image.tags);

describe("ImageWatch", () => {
  it("answers the first scan once the event stream is open, then pushes a rescan after events that changed something", async () => {
    const sandbox = fakeSandbox();
    sandbox.setTags(["hello:v0.1"]);
    const changes: ImagesSnapshot[] = [];
    const watch = new ImageWatch(sandbox.source, { onChange: (snapshot) => changes.push(snapshot) });
    expect(tagsOf(await watch.ready)).toEqual(["hello:v0.1"]);
    expect(sandbox.streams).toHaveLength(1);

    sandbox.setTags(["hello:v0.2", "hello:v0.1"]);
    sandbox.streams[0]?.stdout.write('{"Action":"tag"}\n{"Action":"tag"}\n');
    await vi.waitFor(() => expect(changes).toHaveLength(1));
    expect(tagsOf(changes[0] as ImagesSnapshot)).toEqual(["hello:v0.2", "hello:v0.1"]);

    // An event that changed nothing the panel shows (takenAt aside) pushes nothing.
    const scans = sandbox.source.scans;
    sandbox.streams[0]?.stdout.write('{"Action":"push"}\n');
    await vi.waitFor(() => expect(sandbox.source.scans).toBe(scans + 1));
    expect(changes).toHaveLength(1);

    watch.dispose();
    expect(sandbox.streams[0]?.disposed).toBe(true);
  });

  it("reopens a stream that ended and rescans, since events may have been missed", async () => {
    const sandbox = fakeSandbox();
    const changes: ImagesSnapshot[] = [];
    const problems: unknown[] = [];
    const watch = new ImageWatch(sandbox.source, {
      onChange: (snapshot) => changes.push(snapshot),
      onError: (error) => problems.push(error),
    });
    await watch.ready;
    sandbox.setTags(["pulled:1"]);
    sandbox.streams[0]?.end();
    await vi.waitFor(() => expect(changes).toHaveLength(1), { timeout: 3_000 });
    expect(sandbox.streams).toHaveLength(2);
    expect(tagsOf(changes[0] as ImagesSnapshot)).toEqual(["pulled:1"]);
    expect(problems).toHaveLength(1);
    watch.dispose();
  });

  it("fails ready when the first scan fails, and stops for good when the sandbox is gone", async () => {
    const sandbox = fakeSandbox();
    sandbox.failScans(new Error("curl: (7) Failed to connect"));
    await expect(new ImageWatch(sandbox.source, { onChange: () => {} }).ready).rejects.toThrow("Failed to connect");

    const gone = fakeSandbox();
    gone.source.events = async () => {
      throw new EngineError("Sandbox sbx_1 is not running.", "Start a new session.", "sandbox-not-found");
    };
    const watch = new ImageWatch(gone.source, { onChange: () => {} });
    await expect(watch.ready).rejects.toThrow("is not running");
  });
});
