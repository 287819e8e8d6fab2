import { describe, expect, it } from "vitest";
import { lastFileInTar } from "./tar-file";

/** A one-entry tar archive as Docker's archive API sends it. */
function tarOf(name: string, content: string, type = "0"): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, "utf8");
  header.write(`${Buffer.byteLength(content).toString(8).padStart(11, "0")}\0`, 124, "ascii");
  header.write(type, 156, "ascii");
  const body = Buffer.alloc(Math.ceil(Buffer.byteLength(content) / 512) * 512);
  body.write(content, "utf8");
  return Buffer.concat([header, body]);
}

describe("reading a file out of a tar archive", () => {
  it("returns the last regular file's content, across block boundaries", () => {
    const long = "x".repeat(700);
    const archive = Buffer.concat([tarOf("dir", "", "5"), tarOf("dockerd.log", `first\n${long}\nlast line\n`), Buffer.alloc(1024)]);
    expect(lastFileInTar(archive).toString()).toBe(`first\n${long}\nlast line\n`);
  });

  it("is empty for an empty or cut-short archive", () => {
    expect(lastFileInTar(Buffer.alloc(1024)).length).toBe(0);
    expect(lastFileInTar(Buffer.from("short")).length).toBe(0);
  });
});
