import { randomBytes } from "node:crypto";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentHarness, startAgentHarness } from "../testing/agent-harness";

/**
 * The registry as learners use it (lab 3), on the real engine and the real
 * registry: two learners' sandboxes, each with its own credentials, behind
 * the agent's registry gateway.
 */

const docker = new Docker();
const REGISTRY = process.env.REGISTRY_UPSTREAM ?? `http://127.0.0.1:${process.env.DRYDOCK_REGISTRY_PORT ?? 5000}`;
const REGISTRY_CONTAINER = "drydock-registry";
/** Where the registry container keeps repositories (images/registry/config.yml). */
const REPOSITORIES = "/var/lib/docker-registry/docker/registry/v2/repositories";
const MANIFEST_TYPES = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
].join(", ");

interface Learner {
  sandboxId: string;
  user: string;
  password: string;
}

let harness: AgentHarness;
let alice: Learner;
let bob: Learner;
let gateway: string;
let libraryBefore: { digest: string; body: Buffer; type: string };

async function sh(sandboxId: string, script: string) {
  const result = await harness.driver.exec(sandboxId, ["bash", "-c", script]);
  return { ...result, output: result.stdout + result.stderr };
}

async function learner(owner: string): Promise<Learner> {
  const sandboxId = await harness.createSandbox(owner);
  const { stdout } = await sh(sandboxId, 'printf "%s\\n%s" "$DRYDOCK_USER" "$DRYDOCK_PASSWORD"');
  const [user = "", password = ""] = stdout.split("\n");
  return { sandboxId, user, password };
}

const basic = (who: Pick<Learner, "user" | "password">) => `Basic ${Buffer.from(`${who.user}:${who.password}`).toString("base64")}`;

/** The manifest the real registry serves, read directly on the host. */
async function manifest(name: string, reference: string) {
  const response = await fetch(`${REGISTRY}/v2/${name}/manifests/${reference}`, { headers: { accept: MANIFEST_TYPES } });
  if (!response.ok) return undefined;
  return {
    digest: response.headers.get("docker-content-digest") ?? "",
    type: response.headers.get("content-type") ?? "",
    body: Buffer.from(await response.arrayBuffer()),
  };
}

/** Builds a tiny image (one file on scratch) tagged REF in the sandbox. */
const buildScript = (ref: string, content: string) =>
  `set -e; mkdir -p /root/lab/app && cd /root/lab/app && echo '${content}' >hello.txt && printf 'FROM scratch\\nCOPY hello.txt /\\n' >Dockerfile && docker build -q -t ${ref} . >/dev/null`;

const login = (password = '"$DRYDOCK_PASSWORD"') => `docker login $DRYDOCK_REGISTRY -u "$DRYDOCK_USER" --password-stdin <<<${password}`;

beforeAll(async () => {
  harness = await startAgentHarness();
  gateway = `http://${harness.network.gateway}:5000`;
  const run = randomBytes(4).toString("hex");
  [alice, bob] = await Promise.all([learner(`registry-test-a-${run}`), learner(`registry-test-b-${run}`)]);
  const before = await manifest("library/debian", "bookworm");
  if (!before) throw new Error(`${REGISTRY} does not serve library/debian:bookworm; run npm run provision`);
  libraryBefore = before;
});

afterAll(async () => {
  // Were a write to library/debian ever let through, put the shared image back before anyone pulls it.
  const libraryNow = await manifest("library/debian", "bookworm");
  if (libraryNow && libraryNow.digest !== libraryBefore.digest) {
    await fetch(`${REGISTRY}/v2/library/debian/manifests/bookworm`, {
      method: "PUT",
      headers: { "content-type": libraryBefore.type },
      body: libraryBefore.body,
    });
  }
  // This run's repositories only: the manifest through the gateway (a learner may delete their own),
  // then what the registry's API leaves behind (the repository's directory).
  const pushed = alice && (await manifest(`${alice.user}/myfirstapp`, "latest"));
  if (pushed) {
    await fetch(`${gateway}/v2/${alice.user}/myfirstapp/manifests/${pushed.digest}`, {
      method: "DELETE",
      headers: { authorization: basic(alice) },
    });
  }
  const names = [alice?.user, bob?.user].filter((name): name is string => /^learner[0-9a-f]{16}$/.test(name ?? ""));
  if (names.length > 0) {
    const exec = await docker.getContainer(REGISTRY_CONTAINER).exec({
      Cmd: ["rm", "-rf", ...names.map((name) => `${REPOSITORIES}/${name}`)],
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await exec.start({});
    await new Promise((resolve) => stream.on("end", resolve).resume());
  }
  await harness?.close();
});

describe("the registry, as a learner uses it", () => {
  it("gives each learner their own credentials and sends drydock-registry to the gateway", async () => {
    const env = await sh(alice.sandboxId, 'echo "$DRYDOCK_REGISTRY"; getent hosts drydock-registry');
    expect(env.stdout).toMatch(
      new RegExp(`^drydock-registry:5000\\n${harness.network.gateway.replaceAll(".", "\\.")}\\s+drydock-registry`),
    );
    expect(alice.user).toMatch(/^learner[0-9a-f]{16}$/);
    expect(bob.user).toMatch(/^learner[0-9a-f]{16}$/);
    expect(alice.user).not.toBe(bob.user);
    expect(alice.password).toHaveLength(32);
  });

  it("pulls the base images through the gateway (the mirror reads anonymously)", async () => {
    const pull = await sh(alice.sandboxId, "docker pull -q debian:bookworm && docker run --rm debian:bookworm cat /etc/debian_version");
    expect(pull.exitCode, pull.output).toBe(0);
    expect(pull.stdout).toMatch(/^12\.\d+$/m);
  });

  it("logs in with the learner's password and refuses a wrong one", async () => {
    const wrong = await sh(alice.sandboxId, login("not-the-password"));
    expect(wrong.exitCode).not.toBe(0);
    expect(wrong.output).toMatch(/unauthorized|Wrong user name or password/i);
    const right = await sh(alice.sandboxId, login());
    expect(right.exitCode, right.output).toBe(0);
    expect(right.output).toContain("Login Succeeded");
  });

  it("pushes to the learner's namespace, lists the tag and pulls it back", async () => {
    const push = await sh(
      alice.sandboxId,
      `${buildScript("$DRYDOCK_USER/myfirstapp", "hello from alice")} && ${login()} >/dev/null && ` +
        "docker tag $DRYDOCK_USER/myfirstapp $DRYDOCK_REGISTRY/$DRYDOCK_USER/myfirstapp && docker push $DRYDOCK_REGISTRY/$DRYDOCK_USER/myfirstapp",
    );
    expect(push.exitCode, push.output).toBe(0);
    expect(push.output).toMatch(/latest: digest: sha256:[0-9a-f]{64}/);

    const tags = await sh(
      alice.sandboxId,
      'curl -fsS -u "$DRYDOCK_USER:$DRYDOCK_PASSWORD" http://$DRYDOCK_REGISTRY/v2/$DRYDOCK_USER/myfirstapp/tags/list',
    );
    expect(JSON.parse(tags.stdout)).toEqual({ name: `${alice.user}/myfirstapp`, tags: ["latest"] });

    const again = await sh(
      alice.sandboxId,
      "docker rmi -f $DRYDOCK_REGISTRY/$DRYDOCK_USER/myfirstapp $DRYDOCK_USER/myfirstapp >/dev/null && docker pull -q $DRYDOCK_REGISTRY/$DRYDOCK_USER/myfirstapp",
    );
    expect(again.exitCode, again.output).toBe(0);
  });

  it("keeps another learner out of that namespace and everyone out of library/", async () => {
    const aliceBefore = await manifest(`${alice.user}/myfirstapp`, "latest");
    expect(aliceBefore).toBeDefined();

    const built = await sh(bob.sandboxId, `${buildScript("bobs-app", "hello from bob")} && ${login()}`);
    expect(built.exitCode, built.output).toBe(0);
    const intoAlice = await sh(
      bob.sandboxId,
      `docker tag bobs-app $DRYDOCK_REGISTRY/${alice.user}/myfirstapp && docker push $DRYDOCK_REGISTRY/${alice.user}/myfirstapp`,
    );
    expect(intoAlice.exitCode).not.toBe(0);
    expect(intoAlice.output).toMatch(/denied: .*is not in your namespace/);
    const intoLibrary = await sh(
      bob.sandboxId,
      "docker tag bobs-app $DRYDOCK_REGISTRY/library/debian:bookworm && docker push $DRYDOCK_REGISTRY/library/debian:bookworm",
    );
    expect(intoLibrary.exitCode).not.toBe(0);
    expect(intoLibrary.output).toMatch(/denied: .*read-only/);

    // Reading is private too: with Bob's credentials, and without any.
    const asBob = await sh(
      bob.sandboxId,
      `curl -sS -o /dev/null -w '%{http_code}' -u "$DRYDOCK_USER:$DRYDOCK_PASSWORD" http://$DRYDOCK_REGISTRY/v2/${alice.user}/myfirstapp/tags/list`,
    );
    expect(asBob.stdout).toBe("403");
    const anonymous = await sh(
      bob.sandboxId,
      `curl -sS -o /dev/null -w '%{http_code}' http://$DRYDOCK_REGISTRY/v2/${alice.user}/myfirstapp/tags/list`,
    );
    expect(anonymous.stdout).toBe("401");

    expect((await manifest("library/debian", "bookworm"))?.digest).toBe(libraryBefore.digest);
    expect((await manifest(`${alice.user}/myfirstapp`, "latest"))?.digest).toBe(aliceBefore?.digest);
  });

  it("leaves the real registry out of the sandboxes' reach", async () => {
    const info = await docker.getContainer(REGISTRY_CONTAINER).inspect();
    const networks = info.NetworkSettings.Networks;
    expect(Object.keys(networks)).not.toContain(process.env.SANDBOX_NETWORK ?? "drydock");
    const addresses = Object.values(networks)
      .map((network) => network.IPAddress)
      .filter(Boolean);
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of [...addresses, "127.0.0.1"]) {
      const direct = await sh(alice.sandboxId, `curl -sS -m 3 -o /dev/null http://${address}:5000/v2/`);
      expect(direct.exitCode, `${address}: ${direct.output}`).not.toBe(0);
    }
    // The name answers, but it is the gateway: no catalog.
    const catalog = await sh(alice.sandboxId, "curl -sS -w ' %{http_code}' http://$DRYDOCK_REGISTRY/v2/_catalog");
    expect(catalog.stdout).toMatch(/"code":"DENIED".* 403$/);
  });
});

describe("the registry gateway over HTTP", () => {
  it("challenges at /v2/ and accepts a learner's password", async () => {
    const anonymous = await fetch(`${gateway}/v2/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer realm="http:\/\/[^"]+\/auth\/token",service="drydock-registry"$/);
    expect((await fetch(`${gateway}/v2/`, { headers: { authorization: basic(alice) } })).status).toBe(200);
    expect((await fetch(`${gateway}/v2/`, { headers: { authorization: basic({ ...alice, password: "wrong" }) } })).status).toBe(401);
  });

  it("issues tokens anonymously and to learners, never for a wrong password", async () => {
    const anonymous = await fetch(`${gateway}/auth/token?service=drydock-registry&scope=repository:library/debian:pull`);
    const { token } = (await anonymous.json()) as { token: string };
    expect((await fetch(`${gateway}/v2/library/debian/tags/list`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect(
      (await fetch(`${gateway}/v2/${alice.user}/myfirstapp/tags/list`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(401);
    const wrong = await fetch(`${gateway}/auth/token`, { headers: { authorization: basic({ ...alice, password: "wrong" }) } });
    expect(wrong.status).toBe(401);
  });

  it("refuses writes to library/ with a registry-style error", async () => {
    const response = await fetch(`${gateway}/v2/library/debian/manifests/bookworm`, {
      method: "PUT",
      headers: { authorization: basic(alice), "content-type": libraryBefore.type },
      body: libraryBefore.body,
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ errors: [{ code: "DENIED", message: expect.stringContaining("read-only") }] });
  });
});
