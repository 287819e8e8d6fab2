import { describe, expect, it } from "vitest";
import { authenticate } from "./authenticate";
import { checkPassword, isLearnerName, learnerName, learnerPassword, registryEnvironment, registryKey } from "./credentials";
import { forwardableHeaders } from "./proxy";
import { bearerChallenge } from "./responses";
import { mintRegistryToken, readRegistryToken, TOKEN_TTL_SECONDS } from "./tokens";

const key = registryKey("unit-test-secret-".padEnd(40, "x"));
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("learners' registry credentials", () => {
  it("derives a stable, namespace-safe user name per owner, revealing nothing of the owner id", () => {
    const owner = `vis_${"0123456789abcdef".repeat(2)}`;
    const name = learnerName(key, owner);
    expect(name).toMatch(/^[a-z0-9]{1,30}$/);
    expect(isLearnerName(name)).toBe(true);
    expect(learnerName(key, owner)).toBe(name);
    expect(learnerName(key, `${owner}x`)).not.toBe(name);
    expect(name).not.toContain("0123456789abcdef".slice(0, 8));
    expect(learnerName(registryKey("another-secret-".padEnd(40, "y")), owner)).not.toBe(name);
  });

  it("checks a password against the user name it was made for, and nothing else", () => {
    const alice = learnerName(key, "owner-a");
    const bob = learnerName(key, "owner-b");
    const password = learnerPassword(key, alice);
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(checkPassword(key, alice, password)).toBe(true);
    expect(checkPassword(key, bob, password)).toBe(false);
    expect(checkPassword(key, alice, `${password}x`)).toBe(false);
    expect(checkPassword(key, alice, "")).toBe(false);
    // "library" and other names the agent never hands out have no password.
    expect(checkPassword(key, "library", learnerPassword(key, "library"))).toBe(false);
  });

  it("gives a sandbox the variables the lessons use", () => {
    const env = registryEnvironment(key, "owner-a");
    expect(env).toEqual({
      DRYDOCK_REGISTRY: "drydock-registry:5000",
      DRYDOCK_USER: learnerName(key, "owner-a"),
      DRYDOCK_PASSWORD: learnerPassword(key, learnerName(key, "owner-a")),
    });
  });
});

describe("registry tokens", () => {
  const alice = { kind: "learner", name: learnerName(key, "owner-a") } as const;

  it("say who holds them until they expire", () => {
    const now = Date.now();
    expect(readRegistryToken(key, mintRegistryToken(key, alice, now), now)).toEqual(alice);
    expect(readRegistryToken(key, mintRegistryToken(key, { kind: "anonymous" }, now), now)).toEqual({ kind: "anonymous" });
    expect(readRegistryToken(key, mintRegistryToken(key, alice, now), now + TOKEN_TTL_SECONDS * 1000)).toBeUndefined();
  });

  it("cannot be forged, altered or made with another key", () => {
    const token = mintRegistryToken(key, { kind: "anonymous" });
    const [, expiry, sig] = token.split(".");
    expect(readRegistryToken(key, `${alice.name}.${expiry}.${sig}`)).toBeUndefined();
    expect(readRegistryToken(registryKey("another-secret-".padEnd(40, "y")), token)).toBeUndefined();
    expect(readRegistryToken(key, `${token}.extra`)).toBeUndefined();
    expect(readRegistryToken(key, "garbage")).toBeUndefined();
  });
});

describe("authenticating a request", () => {
  const alice = learnerName(key, "owner-a");

  it("knows nobody, a learner by password or token, and the anonymous token holder", () => {
    expect(authenticate(key, undefined)).toEqual({ ok: true, caller: { kind: "none" } });
    expect(authenticate(key, basic(alice, learnerPassword(key, alice)))).toEqual({ ok: true, caller: { kind: "learner", name: alice } });
    expect(authenticate(key, `Bearer ${mintRegistryToken(key, { kind: "learner", name: alice })}`)).toEqual({
      ok: true,
      caller: { kind: "learner", name: alice },
    });
    expect(authenticate(key, `bearer ${mintRegistryToken(key, { kind: "anonymous" })}`)).toEqual({
      ok: true,
      caller: { kind: "anonymous" },
    });
  });

  it("refuses wrong credentials instead of treating them as anonymous", () => {
    expect(authenticate(key, basic(alice, "wrong"))).toMatchObject({ ok: false, user: alice });
    expect(authenticate(key, "Basic !!!")).toMatchObject({ ok: false });
    expect(authenticate(key, "Bearer nope")).toMatchObject({ ok: false });
    expect(authenticate(key, "Digest x")).toMatchObject({ ok: false, message: expect.stringContaining("Digest") });
  });
});

describe("the gateway's HTTP details", () => {
  it("points the challenge's realm at the host the client used, or the sandbox name", () => {
    expect(bearerChallenge("drydock-registry:5000")).toBe(
      'Bearer realm="http://drydock-registry:5000/auth/token",service="drydock-registry"',
    );
    expect(bearerChallenge("172.18.0.1:5000")).toContain('realm="http://172.18.0.1:5000/auth/token"');
    expect(bearerChallenge('evil",x="y')).toContain('realm="http://drydock-registry:5000/auth/token"');
    expect(bearerChallenge(undefined)).toContain("drydock-registry:5000");
  });

  it("forwards the message's headers, not the connection's, the credentials or forwarding claims", () => {
    expect(
      forwardableHeaders({
        host: "drydock-registry:5000",
        "content-type": "application/octet-stream",
        "content-length": "5",
        authorization: "Basic abc",
        connection: "keep-alive, x-custom",
        "x-custom": "1",
        "transfer-encoding": "chunked",
        "x-forwarded-host": "evil.example",
      }),
    ).toEqual({ host: "drydock-registry:5000", "content-type": "application/octet-stream", "content-length": "5" });
  });
});
