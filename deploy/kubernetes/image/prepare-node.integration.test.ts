import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { promisify } from "node:util";
import Docker from "dockerode";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, "prepare-node.sh");
const docker = new Docker();
/** A network of this test's own, never the host's `drydock`. */
const network = `drydock-k8s-test-${randomBytes(4).toString("hex")}`;

interface Outcome {
  code: number;
  events: { event: string; fix?: string; network?: string; image?: string }[];
}

async function prepareNode(env: Record<string, string>): Promise<Outcome> {
  const environment = { PATH: process.env.PATH ?? "", NODE_NAME: "node-test", SANDBOX_NETWORK: network, ...env };
  const parse = (stdout: string) =>
    stdout
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  try {
    const { stdout } = await run("sh", [SCRIPT], { env: environment });
    return { code: 0, events: parse(stdout) };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, events: parse(failed.stdout) };
  }
}

afterAll(async () => {
  await docker
    .getNetwork(network)
    .remove()
    .catch(() => undefined);
});

describe("drydock-prepare-node (the agent pod's init container) on a real Docker engine", () => {
  it("makes the sandbox network, labelled as provision does, and finds the sandbox image; a second run changes nothing", async () => {
    const first = await prepareNode({ SANDBOX_IMAGE: "drydock/sandbox:latest" });
    expect(first).toEqual({
      code: 0,
      events: [
        expect.objectContaining({ event: "prepare_node.network_created", network }),
        expect.objectContaining({ event: "prepare_node.image_present", image: "drydock/sandbox:latest" }),
      ],
    });
    const made = await docker.getNetwork(network).inspect();
    expect(made.Driver).toBe("bridge");
    expect(made.Labels).toMatchObject({ "io.drydock.managed": "true", "io.drydock.role": "network" });

    const second = await prepareNode({ SANDBOX_IMAGE: "drydock/sandbox:latest" });
    expect(second.code).toBe(0);
    expect(second.events[0]).toMatchObject({ event: "prepare_node.network_present" });
    expect((await docker.getNetwork(network).inspect()).Id).toBe(made.Id);
  });

  it("fails with a fix when the sandbox image cannot be pulled", async () => {
    const outcome = await prepareNode({ SANDBOX_IMAGE: "127.0.0.1:9/drydock/not-there:1" });
    expect(outcome.code).toBe(1);
    expect(outcome.events.at(-1)).toMatchObject({ event: "prepare_node.image_pull_failed", image: "127.0.0.1:9/drydock/not-there:1" });
    expect(outcome.events.at(-1)?.fix).toMatch(/push the sandbox image/);
  });

  it("fails with a fix when the node has no Docker engine", async () => {
    const outcome = await prepareNode({ SANDBOX_IMAGE: "drydock/sandbox:latest", DOCKER_HOST: "unix:///nonexistent/docker.sock" });
    expect(outcome.code).toBe(1);
    expect(outcome.events).toEqual([expect.objectContaining({ event: "prepare_node.docker_unreachable" })]);
    expect(outcome.events[0]?.fix).toMatch(/install Docker Engine/);
  });
});
