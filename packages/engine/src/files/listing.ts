import type { FileEntry, FileTree } from "./sandbox-files";

/** Writes go through temporary files with this prefix; they are never shown. */
export const TEMP_PREFIX = ".drydock-write.";

const TYPES: Record<string, FileEntry["type"]> = { f: "file", d: "dir", l: "symlink" };

/** "1795709501.3254071880" (seconds, as find and stat print them) → whole milliseconds, without float rounding. */
export function secondsToMs(text: string): number {
  const [seconds = "0", fraction = ""] = text.split(".");
  return Number(seconds) * 1000 + Number(fraction.padEnd(3, "0").slice(0, 3));
}

/**
 * Parses `find -printf '%d\t%y\t%s\t%T@\t%P\0'` (shallowest first, at most
 * maxEntries + 1 records). Pipes, sockets and devices are left out: they
 * cannot be edited. `cut` says the output itself was cut off.
 */
export function parseListing(output: string, options: { dir: string; maxEntries: number; cut: boolean }): FileTree {
  const records = output.split("\0");
  // The last piece follows the final NUL: empty, or a record cut off mid-way.
  records.pop();
  const truncated = options.cut || records.length > options.maxEntries;
  const entries: FileEntry[] = [];
  for (const record of records.slice(0, options.maxEntries)) {
    const [, kind = "", size = "0", mtime = "0", ...name] = record.split("\t");
    const path = name.join("\t");
    const type = TYPES[kind];
    if (!type || !path || basename(path).startsWith(TEMP_PREFIX)) continue;
    entries.push({ path: options.dir ? `${options.dir}/${path}` : path, type, size: Number(size), mtimeMs: secondsToMs(mtime) });
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries, truncated };
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
