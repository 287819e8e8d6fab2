import { describe, expect, it } from "vitest";
import { diffListings } from "./listing-diff";
import type { FileEntry } from "./sandbox-files";

const entry = (path: string, type: FileEntry["type"] = "file", size = 1, mtimeMs = 1000): FileEntry => ({ path, type, size, mtimeMs });

describe("diffing two listings", () => {
  it("reports created, changed and deleted entries", () => {
    const before = [entry("same"), entry("edited"), entry("touched"), entry("gone"), entry("dir", "dir"), entry("swap", "dir")];
    const after = [
      entry("same"),
      entry("edited", "file", 2),
      entry("touched", "file", 1, 2000),
      entry("new"),
      entry("dir", "dir", 4096, 5000),
      entry("swap", "symlink"),
    ];
    expect(diffListings(before, after)).toEqual([
      { path: "edited", kind: "changed", type: "file" },
      { path: "touched", kind: "changed", type: "file" },
      { path: "new", kind: "created", type: "file" },
      { path: "swap", kind: "changed", type: "file" },
      { path: "gone", kind: "deleted", type: "file" },
    ]);
  });

  it("reports nothing when nothing changed", () => {
    expect(diffListings([entry("a"), entry("b", "dir")], [entry("b", "dir"), entry("a")])).toEqual([]);
  });
});
