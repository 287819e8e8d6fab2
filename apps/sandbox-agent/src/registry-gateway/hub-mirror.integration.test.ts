import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { LABEL } from "@drydock/engine";
import { createTestNetwork, type TestNetwork } from "@drydock/engine/testing";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentHarness, startAgentHarness } from "../testing/agent-harness";

/**
 * The registry gateway's Docker Hub fallback, with no internet: a stand-in
 * for Docker Hub (a registry container holding an image), the real Docker Hub
 * mirror in front of it (the registry image in Distribution's proxy mode, as
 * provision runs drydock-hub-mirror), and two learners' sandboxes pulling the
 * image by its Hub name. The stand-in's access log counts what was fetched.
 */

const docker = new Docker();
const run = promisify(execFile);
const REGISTRY_IMAGE = process.env.REGISTRY_IMAGE ?? "drydock/registry:latest";
const id = randomBytes(4).toString("hex");
const IMAGE = `hub-only-${id}`;

let network: TestNetwork;
const containers: Docker.Container[] = [];
let upstream: Docker.Container;
let harness: AgentHarness;
let gateway: string;

async function startRegistry(name: string, env: string[]): Promise<{ container: Docker.Container; port: number }> {
  const container = await docker.createContainer({
    name,
    Image: REGISTRY_IMAGE,
    Env: env,
    Labels: { [LABEL.managed]: "true", [LABEL.role]: "test-registry" },
    ExposedPorts: { "5000/tcp": {} },
    HostConfig: { NetworkMode: network.name, PortBindings: { "5000/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] } },
  });
  containers.push(container);
  await container.start();
  const info = await container.inspect();
  const port = Number(info.NetworkSettings.Ports["5000/tcp"]?.[0]?.HostPort);
  const deadline = Date.now() + 30_000;
  while (
    !(await fetch(`http://127.0.0.1:${port}/v2/`, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline) throw new Error(`${name} did not answer on 127.0.0.1:${port}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { container, port };
}

/**
 * What the stand-in served of the image: manifest GETs (what Docker Hub counts
 * against its pull rate limit) and blob GETs, from its access log.
 */
async function upstreamFetches(): Promise<{ manifests: number; blobs: number }> {
  const logs = (await upstream.logs({ stdout: true, stderr: true })).toString("utf8");
  const count = (kind: string) => logs.split(`"GET /v2/library/${IMAGE}/${kind}/`).length - 1;
  return { manifests: count("manifests"), blobs: count("blobs") };
}

async function sh(sandboxId: string, script: string) {
  const result = await harness.driver.exec(sandboxId, ["bash", "-c", script]);
  return { ...result, output: result.stdout + result.stderr };
}

beforeAll(async () => {
  network = await createTestNetwork();
  const hubName = `drydock-test-hub-${id}`;
  const hub = await startRegistry(hubName, ["REGISTRY_LOG_ACCESSLOG_DISABLED=false"]);
  upstream = hub.container;
  // A one-layer image on "Docker Hub".
  const ref = `127.0.0.1:${hub.port}/library/${IMAGE}:1`;
  await run(
    "sh",
    [
      "-c",
      `printf 'from the hub\\n' >/tmp/${IMAGE} && tar -C /tmp -c ${IMAGE} | docker import - ${ref} && docker push -q ${ref} && docker rmi ${ref} && rm /tmp/${IMAGE}`,
    ],
    // A hung push fails here, saying so, rather than as the hook's time-out.
    { timeout: 120_000 },
  );
  const mirror = await startRegistry(`drydock-test-mirror-${id}`, [`REGISTRY_PROXY_REMOTEURL=http://${hubName}:5000`]);
  harness = await startAgentHarness({ egress: "none", hubMirror: `http://127.0.0.1:${mirror.port}` });
  gateway = `http://${harness.network.gateway}:5000`;
});

afterAll(async () => {
  await harness?.close();
  for (const container of containers) await container.remove({ force: true, v: true }).catch(() => {});
  await network?.remove();
});

describe("the Docker Hub mirror behind the registry gateway", () => {
  it("serves two learners pulling the same Hub image with one pull from Docker Hub", async () => {
    const [first, second] = await Promise.all([harness.createSandbox(`hub-a-${id}`), harness.createSandbox(`hub-b-${id}`)]);
    const pull = (sandboxId: string) =>
      sh(sandboxId, `docker pull -q ${IMAGE}:1 && docker image inspect -f '{{len .RootFS.Layers}}' ${IMAGE}:1`);
    const firstPull = await pull(first);
    expect(firstPull.exitCode, firstPull.output).toBe(0);
    expect(firstPull.stdout.trim().split("\n").at(-1)).toBe("1");
    const afterFirst = await upstreamFetches();
    expect(afterFirst).toMatchObject({ manifests: 1, blobs: expect.any(Number) });
    expect(afterFirst.blobs).toBeGreaterThanOrEqual(2);

    const secondPull = await pull(second);
    expect(secondPull.exitCode, secondPull.output).toBe(0);
    // The second learner's pull is served from the mirror: not one more request for the image reaches Docker Hub.
    expect(await upstreamFetches()).toEqual(afterFirst);
  });

  it("still answers the shared base images from Drydock's own registry", async () => {
    const answer = await fetch(`${gateway}/v2/library/debian/manifests/bookworm-slim`, {
      method: "HEAD",
      headers: { accept: "application/vnd.docker.distribution.manifest.v2+json" },
    });
    expect(answer.status).toBe(200);
  });

  it("says clearly that an image is neither here nor on Docker Hub", async () => {
    const answer = await fetch(`${gateway}/v2/library/no-such-${id}/manifests/1`);
    expect(answer.status).toBe(404);
    const body = (await answer.json()) as { errors: Array<{ code: string; message: string }> };
    expect(body.errors[0]?.message).toContain(`no-such-${id} is not in Drydock's registry nor does Docker Hub`);
  });
});
