import { type ImageStack, type ImagesSnapshot, SANDBOX_NAMESPACE } from "@drydock/protocol";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentHarness, request, startAgentHarness } from "./testing/agent-harness";

let harness: AgentHarness;
let sandboxId: string;

const DOCKERFILE = [
  "FROM debian:bookworm-slim",
  "RUN echo one > /one",
  "RUN echo two > /two",
  "COPY message.txt /message.txt",
  'CMD ["cat", "/message.txt"]',
  "",
].join("\n");

async function sandboxShell(script: string): Promise<void> {
  const run = await harness.driver.exec(sandboxId, ["bash", "-c", script]);
  if (run.exitCode !== 0) throw new Error(`"${script}" exited ${run.exitCode}: ${run.stderr}`);
}

/** Resolves with the first images:changed that passes `test`; waits on the condition, with a generous bound for a slow host. */
function nextSnapshot(socket: Socket, test: (snapshot: ImagesSnapshot) => boolean, timeoutMs = 120_000): Promise<ImagesSnapshot> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching images:changed within ${timeoutMs} ms`)), timeoutMs);
    const listener = (snapshot: ImagesSnapshot) => {
      if (!test(snapshot)) return;
      clearTimeout(timer);
      socket.off("images:changed", listener);
      resolve(snapshot);
    };
    socket.on("images:changed", listener);
  });
}

const named = (snapshot: ImagesSnapshot, tag: string): ImageStack | undefined => snapshot.images.find((image) => image.tags.includes(tag));
const builtLast = (snapshot: ImagesSnapshot, tag: string) => {
  const image = named(snapshot, tag);
  return image !== undefined && snapshot.lastBuild?.imageId === image.id;
};
const instructions = (image: ImageStack | undefined) => image?.layers.map((layer) => layer.instruction);

beforeAll(async () => {
  harness = await startAgentHarness({ fleetPrefix: "test-images" });
  sandboxId = await harness.createSandbox();
  await sandboxShell(`mkdir -p /root/lab && cd /root/lab && cat > Dockerfile <<'EOF'\n${DOCKERFILE}EOF\necho hello > message.txt`);
});

afterAll(async () => {
  await harness?.close();
});

describe("the images of a sandbox on the sandbox channel", () => {
  it("shows builds as stacks of layers, shared layers between them, and the cached steps of a rebuild", async () => {
    const socket = harness.connect(SANDBOX_NAMESPACE, { sandboxId, token: harness.token(sandboxId, "read") });
    const initial = await request<ImagesSnapshot>(socket, "images:watch", {});
    expect(initial.ok && initial.value.images).toEqual([]);

    const first = nextSnapshot(socket, (snapshot) => builtLast(snapshot, "hello:v0.1"));
    await sandboxShell("cd /root/lab && docker build -q -t hello:v0.1 . >/dev/null");
    const v1 = named(await first, "hello:v0.1");
    expect(instructions(v1)).toEqual([
      "(a whole filesystem, added by docker import)",
      "RUN echo one > /one",
      "RUN echo two > /two",
      "COPY message.txt /message.txt",
      'CMD ["cat" "/message.txt"]',
    ]);
    expect(v1?.layers.map((layer) => layer.origin)).toEqual(["base", "built", "built", "built", undefined]);
    expect(v1?.layers[3]?.size).toBe("hello\n".length);
    expect(v1?.layers[4]?.layerId).toBeUndefined();

    const second = nextSnapshot(socket, (snapshot) => builtLast(snapshot, "hello:v0.2"));
    await sandboxShell("cd /root/lab && echo 'hello again' > message.txt && docker build -q -t hello:v0.2 . >/dev/null");
    const snapshot = await second;
    const v2 = named(snapshot, "hello:v0.2");
    expect(snapshot.lastBuild).toMatchObject({ imageId: v2?.id, cachedSteps: 2 });
    expect(v2?.layers.map((layer) => layer.origin)).toEqual(["base", "cached", "cached", "built", undefined]);
    // The base and both RUN layers are the very layers of hello:v0.1; the new COPY is hello:v0.2's own.
    expect(v2?.layers.map((layer) => layer.sharedWith)).toEqual([["hello:v0.1"], ["hello:v0.1"], ["hello:v0.1"], undefined, undefined]);
    expect(v2?.layers.slice(0, 3).map((layer) => layer.layerId)).toEqual(
      named(snapshot, "hello:v0.1")
        ?.layers.slice(0, 3)
        .map((layer) => layer.layerId),
    );
  });

  it("pushes a docker tag, and a removal, as they happen", async () => {
    const socket = harness.connect(SANDBOX_NAMESPACE, { sandboxId, token: harness.token(sandboxId, "read") });
    await request(socket, "images:watch", {});
    const tagged = nextSnapshot(socket, (snapshot) => named(snapshot, "hello:latest") !== undefined, 30_000);
    await sandboxShell("docker tag hello:v0.2 hello:latest");
    const snapshot = await tagged;
    expect(named(snapshot, "hello:latest")?.tags.sort()).toEqual(["hello:latest", "hello:v0.2"]);
    // A tag is no build: the last build's marks stay where they were.
    expect(snapshot.lastBuild?.cachedSteps).toBe(2);

    const removed = nextSnapshot(socket, (next) => named(next, "hello:v0.1") === undefined, 30_000);
    await sandboxShell("docker rmi hello:v0.1 >/dev/null");
    expect((await removed).images.map((image) => image.tags.sort())).toEqual([["hello:latest", "hello:v0.2"]]);
  });

  it("refuses requests with parameters, and stops pushing after images:unwatch", async () => {
    const socket = harness.connect(SANDBOX_NAMESPACE, { sandboxId, token: harness.token(sandboxId, "read") });
    expect(await request(socket, "images:list", { all: true })).toMatchObject({ ok: false, error: "Invalid images request." });
    await request(socket, "images:watch", {});
    expect(await request(socket, "images:unwatch", {})).toEqual({ ok: true, value: null });
    const pushes: ImagesSnapshot[] = [];
    socket.on("images:changed", (snapshot: ImagesSnapshot) => pushes.push(snapshot));
    // A second, watching socket is the witness that the change was pushed to watchers.
    const witness = harness.connect(SANDBOX_NAMESPACE, { sandboxId, token: harness.token(sandboxId, "read") });
    await request(witness, "images:watch", {});
    const seen = nextSnapshot(witness, (snapshot) => named(snapshot, "after:unwatch") !== undefined, 30_000);
    await sandboxShell("docker tag hello:v0.2 after:unwatch");
    await seen;
    expect(pushes).toEqual([]);
    const listed = await request<ImagesSnapshot>(socket, "images:list", {});
    expect(listed.ok && named(listed.value, "after:unwatch")).toBeTruthy();
  });
});
