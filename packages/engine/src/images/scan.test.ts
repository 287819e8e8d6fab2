import { describe, expect, it } from "vitest";
import { parseImageScan } from "./scan";

describe("parseImageScan", () => {
  it("splits the scan's sections and parses each one's JSON, per image for the details", () => {
    const output = [
      "@@now",
      "1795822134.5",
      "@@uptime",
      "   300",
      "@@images",
      '[{"Id":"sha256:abc","RepoTags":["hello:v0.1"]}]',
      "@@events",
      '{"Action":"tag","timeNano":1}',
      "",
      '{"Action":"pull","timeNano":2}',
      "@@buildcache",
      '{"BuildCache":[]}',
      "@@inspect sha256:abc",
      '{"Id":"sha256:abc"}',
      "@@history sha256:abc",
      "[]",
      "@@config sha256:abc",
      "",
    ].join("\n");
    const scan = parseImageScan(output);
    expect(scan.now).toBe(1795822134.5);
    expect(scan.uptimeSeconds).toBe(300);
    expect(scan.images).toEqual([{ Id: "sha256:abc", RepoTags: ["hello:v0.1"] }]);
    expect(scan.events).toEqual([
      { Action: "tag", timeNano: 1 },
      { Action: "pull", timeNano: 2 },
    ]);
    expect(scan.buildCache).toEqual({ BuildCache: [] });
    expect(scan.details.get("sha256:abc")).toEqual({ inspect: { Id: "sha256:abc" }, history: [], config: undefined });
  });

  it("leaves out what does not parse: a cut-off section, a missing one, a header without an id", () => {
    const scan = parseImageScan(["@@uptime", "soon", "@@images", '[{"Id":"sha256:ab', "@@inspect", "{}"].join("\n"));
    expect(scan.now).toBeNaN();
    expect(scan.uptimeSeconds).toBeUndefined();
    expect(scan.images).toBeUndefined();
    expect(scan.events).toEqual([]);
    expect(scan.details.size).toBe(0);
  });
});
