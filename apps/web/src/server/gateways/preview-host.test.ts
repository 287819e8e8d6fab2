import { describe, expect, it } from "vitest";
import { isPreviewHost, isSafePreviewPath, parsePreviewHost, previewHostname, previewUrl } from "./preview-host";

const domain = "preview.localhost";
const sessionId = "ses_0123456789abcdef01234567";

describe("preview host names", () => {
  it("makes one host per session and port, and reads it back", () => {
    const hostname = previewHostname({ sessionId, port: 8888 }, domain);
    expect(hostname).toBe("8888-ses-0123456789abcdef01234567.preview.localhost");
    expect(parsePreviewHost(`${hostname}:3100`, domain)).toEqual({ sessionId, port: 8888 });
    expect(parsePreviewHost(hostname.toUpperCase(), domain)).toEqual({ sessionId, port: 8888 });
  });

  it("refuses ids and ports that cannot make a host name", () => {
    expect(() => previewHostname({ sessionId: "ses-x", port: 80 }, domain)).toThrow(/No preview host/);
    expect(() => previewHostname({ sessionId: "ses_ABC", port: 80 }, domain)).toThrow(/No preview host/);
    expect(() => previewHostname({ sessionId, port: 0 }, domain)).toThrow(/No preview host/);
    expect(() => previewHostname({ sessionId, port: 65536 }, domain)).toThrow(/No preview host/);
  });

  it.each([
    ["localhost:3100"],
    ["preview.localhost"],
    ["8888-ses-abc.preview.localhost.evil.example"],
    ["8888-ses-abc.other.localhost"],
    ["99999-ses-abc.preview.localhost"],
    ["0-ses-abc.preview.localhost"],
    ["08888-ses-abc.preview.localhost"],
    ["8888-ses_abc.preview.localhost"],
    ["8888-ses-abc-def.preview.localhost"],
    ["x.8888-ses-abc.preview.localhost"],
    [""],
  ])("reads no preview from %j", (host) => {
    expect(parsePreviewHost(host, domain)).toBeUndefined();
  });

  it("routes every host under the preview domain away from Drydock's pages, valid or not", () => {
    expect(isPreviewHost("8888-ses-abc.preview.localhost:3100", domain)).toBe(true);
    expect(isPreviewHost("junk.preview.localhost", domain)).toBe(true);
    expect(isPreviewHost("preview.localhost", domain)).toBe(false);
    expect(isPreviewHost("127.0.0.1:3100", domain)).toBe(false);
    expect(isPreviewHost(undefined, domain)).toBe(false);
  });

  it("builds the URL on the scheme and port the browser used for Drydock", () => {
    const address = { sessionId, port: 8888 };
    expect(previewUrl(address, domain, { protocol: "http:", host: "127.0.0.1:3100" }, "/x?y=1")).toBe(
      "http://8888-ses-0123456789abcdef01234567.preview.localhost:3100/x?y=1",
    );
    expect(previewUrl(address, "preview.example.org", { protocol: "https:", host: "drydock.example.org" }, "/")).toBe(
      "https://8888-ses-0123456789abcdef01234567.preview.example.org/",
    );
  });
});

describe("preview paths", () => {
  it.each([
    ["/", true],
    ["/app/index.html?x=1#top", true],
    ["//evil.example/", false],
    ["/\\evil.example", false],
    ["https://evil.example/", false],
    ["relative", false],
    ["/a\r\nSet-Cookie: x=1", false],
    [`/${"a".repeat(3000)}`, false],
  ])("%j is safe: %s", (path, safe) => {
    expect(isSafePreviewPath(path)).toBe(safe);
  });
});
