import { describe, expect, it } from "vitest";
import { MAX_BATCH_BYTES, MAX_BATCH_FILES, MAX_FILE_BYTES, utf8Length } from "./files";
import { filesWriteManyRequestSchema, filesWriteRequestSchema } from "./files-schemas";

describe("files on the wire", () => {
  it("measures UTF-8 length like an encoder, without encoding", () => {
    for (const text of ["", "ascii", "ünïcødé", "🐳 whale", "\uFEFFbom", "lone \uD800 surrogate", "end \uD83D"]) {
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    }
  });

  it("caps content at the engine's limit in bytes, not characters", () => {
    expect(filesWriteRequestSchema.safeParse({ path: "a", content: "x".repeat(MAX_FILE_BYTES) }).success).toBe(true);
    const emoji = "🐳".repeat(MAX_FILE_BYTES / 4 + 1);
    const parsed = filesWriteRequestSchema.safeParse({ path: "a", content: emoji });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/larger than 1,048,576 bytes/);
  });

  it("accepts only etags as ifMatch, and nothing unexpected", () => {
    expect(filesWriteRequestSchema.safeParse({ path: "a", content: "", ifMatch: "f".repeat(64) }).success).toBe(true);
    expect(filesWriteRequestSchema.safeParse({ path: "a", content: "", ifMatch: "yesterday" }).success).toBe(false);
    expect(filesWriteRequestSchema.safeParse({ path: "a", content: "", mode: 777 }).success).toBe(false);
  });

  it("caps a batch of files in bytes and in number, and wants at least one", () => {
    const file = (content = "x") => ({ path: "a", content });
    expect(filesWriteManyRequestSchema.safeParse({ files: [file("x".repeat(MAX_BATCH_BYTES))] }).success).toBe(true);
    const tooLarge = filesWriteManyRequestSchema.safeParse({
      files: [file("x".repeat(MAX_BATCH_BYTES / 2)), file("🐳".repeat(MAX_BATCH_BYTES / 8 + 1))],
    });
    expect(tooLarge.error?.issues[0]?.message).toMatch(/several requests/);
    expect(filesWriteManyRequestSchema.safeParse({ files: Array.from({ length: MAX_BATCH_FILES + 1 }, () => file()) }).success).toBe(false);
    expect(filesWriteManyRequestSchema.safeParse({ files: [] }).success).toBe(false);
    expect(filesWriteManyRequestSchema.safeParse({ files: [{ ...file(), ifMatch: "f".repeat(64) }] }).success).toBe(false);
  });
});
