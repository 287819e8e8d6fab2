import { describe, expect, it } from "vitest";
import { parseListing, secondsToMs } from "./listing";

const record = (depth: number, type: string, size: number, mtime: string, path: string) =>
  `${depth}\t${type}\t${size}\t${mtime}\t${path}\0`;

describe("parsing a listing", () => {
  it("reads files, folders and symlinks, sorted by path, under the listed folder", () => {
    const output =
      record(1, "f", 12, "1795709501.3254071880", "b.txt") +
      record(1, "d", 4096, "1795709501.0000000000", "app") +
      record(1, "l", 4, "1795709501.5", "out") +
      record(2, "f", 3, "1795709502.001", "app/tab\there.txt");
    expect(parseListing(output, { dir: "", maxEntries: 10, cut: false })).toEqual({
      truncated: false,
      entries: [
        { path: "app", type: "dir", size: 4096, mtimeMs: 1795709501000 },
        { path: "app/tab\there.txt", type: "file", size: 3, mtimeMs: 1795709502001 },
        { path: "b.txt", type: "file", size: 12, mtimeMs: 1795709501325 },
        { path: "out", type: "symlink", size: 4, mtimeMs: 1795709501500 },
      ],
    });
    expect(parseListing(record(1, "f", 1, "1.0", "x"), { dir: "app/src", maxEntries: 10, cut: false }).entries[0]?.path).toBe("app/src/x");
  });

  it("leaves out pipes, sockets and the editor's temporary files", () => {
    const output =
      record(1, "p", 0, "1.0", "fifo") + record(1, "s", 0, "1.0", "sock") + record(2, "f", 0, "1.0", "a/.drydock-write.Ab12Cd");
    expect(parseListing(output, { dir: "", maxEntries: 10, cut: false }).entries).toEqual([]);
  });

  it("says truncated when there were more entries than the cap, or the output was cut", () => {
    const three = record(1, "f", 1, "1.0", "a") + record(1, "f", 1, "1.0", "b") + record(2, "f", 1, "1.0", "a/c");
    expect(parseListing(three, { dir: "", maxEntries: 2, cut: false })).toMatchObject({
      truncated: true,
      entries: [{ path: "a" }, { path: "b" }],
    });
    const cutMidway = `${record(1, "f", 1, "1.0", "a")}2\tf\t1\t1.0\tpartial-na`;
    expect(parseListing(cutMidway, { dir: "", maxEntries: 10, cut: true })).toMatchObject({ truncated: true, entries: [{ path: "a" }] });
  });

  it("converts seconds to milliseconds without float error", () => {
    expect(secondsToMs("1795709431.165")).toBe(1795709431165);
    expect(secondsToMs("1795709431.1659999999")).toBe(1795709431165);
    expect(secondsToMs("12")).toBe(12000);
  });
});
