import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { type AddressInfo, connect, createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVISIONED_CACHE, warmCache } from "../../../../scripts/cache-store";
import { type AgentHarness, startAgentHarness } from "../testing/agent-harness";

/**
 * The package cache as a room with no way out uses it: a sandbox with
 * SANDBOX_EGRESS=none, the real agent with its package-cache gateway, the
 * real drydock-apt-cache (npm run provision), warmed beforehand.
 */

let harness: AgentHarness;
let sandboxId: string;
let proxy: string;

async function sh(script: string) {
  const result = await harness.driver.exec(sandboxId, ["bash", "-c", script]);
  return { ...result, output: result.stdout + result.stderr };
}

/** One request through the gateway as a proxy client sends it (absolute URL); status and body. */
function throughGateway(method: string, target: string): Promise<{ status: number; body: string }> {
  const url = new URL(proxy);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path: target, headers: { host: new URL(target).host } }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  await warmCache(["figlet"], PROVISIONED_CACHE);
  harness = await startAgentHarness({ egress: "none", packageCache: true });
  proxy = harness.agent.packageCacheUrl ?? "";
  sandboxId = await harness.createSandbox(`cache-test-${randomBytes(3).toString("hex")}`);
});

afterAll(async () => {
  await harness?.close();
});

describe("the package cache, with no egress", () => {
  it("is the only way to Debian's archive: apt-get in an inner container fails without it", async () => {
    const direct = await sh(
      "docker run --rm -e http_proxy= -e HTTP_PROXY= debian:bookworm-slim sh -c " +
        "'apt-get -o Acquire::http::Timeout=5 update; apt-get install -y figlet' 2>&1",
    );
    expect(direct.exitCode).not.toBe(0);
    expect(direct.output).toMatch(/Unable to locate package figlet/);
  });

  it("installs a package inside an inner container, through the proxy the Docker client passes in", async () => {
    const run = await sh(
      "docker run --rm debian:bookworm-slim sh -c 'apt-get update && apt-get install -y figlet && /usr/bin/figlet -v' 2>&1",
    );
    expect(run.output).toContain("FIGlet");
    expect(run.exitCode).toBe(0);
  });

  it("installs a package inside a docker build, and the proxy stays out of the image", async () => {
    const build = await sh(
      [
        "set -e; mkdir -p /root/lab/cached && cd /root/lab/cached",
        "printf 'FROM debian:bookworm-slim\\nRUN apt-get update && apt-get install -y --no-install-recommends figlet\\n' >Dockerfile",
        "docker build -t cached:1 . 2>&1",
        "docker run --rm --entrypoint /usr/bin/figlet cached:1 -v",
        "echo ENV=$(docker image inspect -f '{{.Config.Env}}' cached:1)",
      ].join("\n"),
    );
    expect(build.output).toContain("FIGlet");
    expect(build.exitCode).toBe(0);
    expect(build.output).not.toMatch(/ENV=.*_proxy/i);
  });

  it("gives the sandbox's own apt the cache too", async () => {
    const conf = await harness.driver.exec(sandboxId, ["cat", "/etc/apt/apt.conf.d/01drydock-package-cache"]);
    expect(conf.stdout).toContain(`Acquire::http::Proxy "${proxy}";`);
  });

  it("refuses every host that is not Debian's archive, and tunnels", async () => {
    for (const target of ["http://example.com/", "http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:3142/acng-report.html"]) {
      const answer = await throughGateway("GET", target);
      expect(answer.status).toBe(403);
      expect(answer.body).toContain("not Debian's archive");
    }
    // The learner sees the same answer in the sandbox.
    const curl = await sh(`curl -sS -o /dev/null -w '%{http_code}' -x ${proxy} http://example.com/`);
    expect(curl.stdout).toBe("403");
    const tunnel = await new Promise<string>((resolve, reject) => {
      const url = new URL(proxy);
      const socket = connect(Number(url.port), url.hostname, () =>
        socket.write("CONNECT deb.debian.org:443 HTTP/1.1\r\nHost: deb.debian.org:443\r\n\r\n"),
      );
      let head = "";
      socket.on("data", (chunk) => (head += chunk.toString()));
      socket.on("end", () => resolve(head));
      socket.on("error", reject);
    });
    expect(tunnel).toMatch(/^HTTP\/1\.1 405/);
  });

  it("says why a Docker Hub image cannot be pulled on a host with no Hub mirror", async () => {
    const answer = await fetch(`http://${harness.network.gateway}:5000/v2/library/nginx/manifests/latest`);
    expect(answer.status).toBe(404);
    expect(await answer.text()).toContain("nginx is not in Drydock's registry and this host has no Docker Hub mirror");
  });

  it("opens exactly the cache's port on the host: another service there stays out of reach", async () => {
    const other = createServer((socket) => socket.end("reached\n"));
    await new Promise<void>((resolve) => other.listen(0, harness.network.gateway, resolve));
    try {
      const { port } = other.address() as AddressInfo;
      const probe = (target: number) =>
        sh(`timeout 10 bash -c 'exec 3<>/dev/tcp/${harness.network.gateway}/${target}' && echo open || echo closed`);
      expect((await probe(Number(new URL(proxy).port))).stdout.trim()).toBe("open");
      expect((await probe(port)).stdout.trim()).toBe("closed");
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it("answers for Debian's archive from the cache", async () => {
    const answer = await throughGateway("HEAD", "http://deb.debian.org/debian/dists/bookworm/InRelease");
    expect(answer.status).toBe(200);
  });
});
