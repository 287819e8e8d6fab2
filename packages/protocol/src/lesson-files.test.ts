import { describe, expect, it } from "vitest";
import { contentBytes, MAX_BATCH_BYTES } from "./files";
import { filesPlaceRequestSchema, filesWriteManyRequestSchema } from "./files-schemas";
import { createSandboxRequestSchema } from "./sandbox-api";
import { stepOpenedRequestSchema } from "./steps";

describe("a lesson's files on the wire", () => {
  it("counts base64 content by its decoded bytes", () => {
    for (const bytes of [0, 1, 2, 3, 4, 5, 1000]) {
      const content = btoa("\xff".repeat(bytes));
      expect(contentBytes({ content, encoding: "base64" })).toBe(bytes);
    }
    expect(contentBytes({ content: "ünï" })).toBe(5);
  });

  it("writes bytes in base64 with a mode, and refuses content that is not base64 or a mode out of range", () => {
    const png = { path: "static/logo.png", content: btoa("\x89\x00\xff"), encoding: "base64", mode: 0o644 };
    expect(filesWriteManyRequestSchema.safeParse({ files: [png] }).success).toBe(true);
    expect(filesWriteManyRequestSchema.safeParse({ files: [{ ...png, content: "not base64!" }] }).error?.issues[0]?.message).toMatch(
      /must be base64/,
    );
    expect(filesWriteManyRequestSchema.safeParse({ files: [{ ...png, mode: 0o10000 }] }).success).toBe(false);
    expect(filesWriteManyRequestSchema.safeParse({ files: [{ ...png, encoding: "hex" }] }).success).toBe(false);
    // A batch is measured in decoded bytes: base64 of the limit fits, one byte more does not.
    const atLimit = { path: "big", content: btoa("\0".repeat(MAX_BATCH_BYTES)), encoding: "base64" };
    expect(filesWriteManyRequestSchema.safeParse({ files: [atLimit] }).success).toBe(true);
    const over = { ...atLimit, content: btoa("\0".repeat(MAX_BATCH_BYTES + 1)) };
    expect(filesWriteManyRequestSchema.safeParse({ files: [over] }).success).toBe(false);
  });

  it("places files by absolute path only", () => {
    const tool = { path: "/usr/local/bin/tool", content: "IyEvYmluL3NoCg==", mode: 0o755 };
    expect(filesPlaceRequestSchema.safeParse({ files: [tool] }).success).toBe(true);
    expect(filesPlaceRequestSchema.safeParse({ files: [{ ...tool, path: "bin/tool" }] }).error?.issues[0]?.message).toBe(
      "A placed file's path is absolute.",
    );
    expect(filesPlaceRequestSchema.safeParse({ files: [] }).success).toBe(false);
  });
});

describe("a lesson's workspace and steps on the wire", () => {
  it("asks an agent for a sandbox with a workspace the rule allows", () => {
    expect(createSandboxRequestSchema.safeParse({ owner: "v", workspace: "/root/project" }).success).toBe(true);
    const refused = createSandboxRequestSchema.safeParse({ owner: "v", workspace: "/etc" });
    expect(refused.error?.issues[0]?.message).toBe("workspace must be /root, /home, /srv, /opt, /workspace or a folder below one of them.");
  });

  it("names an opened step by its id", () => {
    expect(stepOpenedRequestSchema.safeParse({ stepId: "install-figlet" }).success).toBe(true);
    expect(stepOpenedRequestSchema.safeParse({ stepId: "../x" }).success).toBe(false);
  });
});
