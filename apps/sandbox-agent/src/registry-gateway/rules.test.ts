import { describe, expect, it } from "vitest";
import { type Caller, decide, mayRead } from "./rules";

const A = "learner00000000000000a1";
const B = "learner00000000000000b2";
const alice: Caller = { kind: "learner", name: A };
const bob: Caller = { kind: "learner", name: B };
const nobody: Caller = { kind: "none" };
const mirror: Caller = { kind: "anonymous" };
const digest = `sha256:${"ab".repeat(32)}`;

const READS = ["GET", "HEAD"];
const WRITES = ["POST", "PUT", "PATCH", "DELETE"];

describe("the registry gateway's rules", () => {
  it("asks for credentials at /v2/ until some are presented (what `docker login` checks)", () => {
    expect(decide("GET", "/v2/", nobody)).toMatchObject({ action: "challenge", message: expect.stringContaining("docker login") });
    expect(decide("GET", "/v2/", alice)).toEqual({ action: "forward", target: "/v2/" });
    expect(decide("GET", "/v2", mirror)).toEqual({ action: "forward", target: "/v2/" });
  });

  it.each([nobody, mirror, alice])("lets anyone read the shared base images, and Docker Hub's through the mirror (%o)", (caller) => {
    for (const method of READS) {
      expect(decide(method, "/v2/library/debian/manifests/bookworm", caller)).toEqual({
        action: "forward",
        target: "/v2/library/debian/manifests/bookworm",
        hubFallback: true,
      });
      expect(decide(method, `/v2/library/nginx/blobs/${digest}`, caller)).toMatchObject({ action: "forward", hubFallback: true });
    }
    expect(decide("GET", "/v2/library/debian/tags/list?n=10", caller)).toEqual({
      action: "forward",
      target: "/v2/library/debian/tags/list?n=10",
      hubFallback: true,
    });
  });

  it("never sends a learner's own repositories to the Docker Hub mirror", () => {
    expect(decide("GET", `/v2/${A}/myfirstapp/manifests/latest`, alice)).not.toHaveProperty("hubFallback");
  });

  it.each([nobody, mirror, alice])("lets nobody write the shared base images (%o)", (caller) => {
    for (const method of WRITES) {
      for (const path of [
        "/v2/library/debian/manifests/bookworm",
        "/v2/library/debian/blobs/uploads/",
        `/v2/library/debian/blobs/${digest}`,
      ]) {
        expect(decide(method, path, caller)).toMatchObject({ action: "deny", status: 403, code: "DENIED" });
      }
    }
  });

  it("gives a learner their own namespace, reads and writes", () => {
    for (const method of [...READS, ...WRITES]) {
      const path = `/v2/${A}/myfirstapp/manifests/latest`;
      expect(decide(method, path, alice)).toEqual({ action: "forward", target: path });
    }
    const upload = `/v2/${A}/myfirstapp/blobs/uploads/0b7f6a3c-1d2e-4f5a-9b8c-7d6e5f4a3b2c?_state=abc%3D&digest=${digest}`;
    expect(decide("PUT", upload, alice)).toEqual({ action: "forward", target: upload });
    expect(decide("POST", `/v2/${A}/nested/app/blobs/uploads/`, alice).action).toBe("forward");
  });

  it("asks for credentials before anything in a learner's namespace, reads included", () => {
    for (const caller of [nobody, mirror]) {
      for (const method of [...READS, ...WRITES]) {
        expect(decide(method, `/v2/${A}/myfirstapp/manifests/latest`, caller)).toMatchObject({
          action: "challenge",
        });
      }
    }
  });

  it("refuses another learner's namespace, reads and writes, naming the caller's own", () => {
    for (const method of [...READS, ...WRITES]) {
      expect(decide(method, `/v2/${A}/myfirstapp/manifests/latest`, bob)).toMatchObject({
        action: "deny",
        status: 403,
        code: "DENIED",
        message: expect.stringContaining(`${B}/myfirstapp`),
      });
    }
  });

  it("refuses one-part names, the catalog and routes it does not know", () => {
    expect(decide("PUT", "/v2/myfirstapp/manifests/latest", alice)).toMatchObject({ action: "deny", code: "DENIED" });
    expect(decide("GET", "/v2/_catalog", alice)).toMatchObject({ action: "deny", status: 403 });
    expect(decide("GET", "/v2/_catalog?n=100", mirror)).toMatchObject({ action: "deny", status: 403 });
    expect(decide("GET", "/v2/library/debian/referrers/x", alice)).toMatchObject({ action: "deny", status: 404 });
    expect(decide("GET", "/metrics", alice)).toMatchObject({ action: "deny", status: 404 });
    expect(decide("GET", "http://other/v2/library/debian/manifests/x", alice)).toMatchObject({ action: "deny", status: 404 });
  });

  it("checks the path the registry will act on, not the one written", () => {
    // Dot segments are resolved before the check, and the resolved path is what is forwarded.
    expect(decide("PUT", `/v2/${B}/../library/debian/manifests/bookworm`, bob)).toMatchObject({ action: "deny" });
    expect(decide("PUT", `/v2/${B}/x/%2e%2e/%2e%2e/library/debian/manifests/bookworm`, bob)).toMatchObject({
      action: "deny",
    });
    // Escaped slashes and upper case are outside the name grammar.
    expect(decide("PUT", `/v2/${B}%2F..%2Flibrary/debian/manifests/bookworm`, bob)).toMatchObject({ action: "deny" });
    expect(decide("PUT", "/v2/Library/debian/manifests/bookworm", bob)).toMatchObject({ action: "deny" });
    // A name that contains a route word is still parsed from the start: the namespace is the first part.
    expect(decide("PUT", `/v2/${B}/manifests/manifests/latest`, bob)).toMatchObject({
      action: "forward",
      target: `/v2/${B}/manifests/manifests/latest`,
    });
  });

  it("keeps a blob mount from a readable repository and drops one from another learner's", () => {
    const from = (source: string) => `/v2/${B}/app/blobs/uploads/?mount=${digest}&from=${source}`;
    expect(decide("POST", from("library/debian"), bob)).toEqual({ action: "forward", target: from("library/debian") });
    expect(decide("POST", from(`${B}/other`), bob)).toEqual({
      action: "forward",
      target: from(`${B}/other`),
    });
    expect(decide("POST", from(`${A}/secret`), bob)).toEqual({
      action: "forward",
      target: `/v2/${B}/app/blobs/uploads/`,
    });
  });

  it("reads: library for all, a namespace for its learner", () => {
    expect(mayRead("library/debian", nobody)).toBe(true);
    expect(mayRead(`${A}/x`, alice)).toBe(true);
    expect(mayRead(`${A}/x`, bob)).toBe(false);
    expect(mayRead("../library/debian", alice)).toBe(false);
  });
});
