import type { FileChange, FileEntry } from "./sandbox-files";

/** The changes between two listings of the same folder (polling, when inotify is unavailable). */
export function diffListings(before: FileEntry[], after: FileEntry[]): FileChange[] {
  const previous = new Map(before.map((entry) => [entry.path, entry]));
  const changes: FileChange[] = [];
  for (const entry of after) {
    const old = previous.get(entry.path);
    previous.delete(entry.path);
    const type = entry.type === "dir" ? "dir" : "file";
    if (!old) changes.push({ path: entry.path, kind: "created", type });
    // A folder's own size and mtime change with its entries, which are reported themselves.
    else if (old.type !== entry.type || (type === "file" && (old.size !== entry.size || old.mtimeMs !== entry.mtimeMs)))
      changes.push({ path: entry.path, kind: "changed", type });
  }
  for (const old of previous.values()) changes.push({ path: old.path, kind: "deleted", type: old.type === "dir" ? "dir" : "file" });
  return changes;
}
