import type { FileChange } from "./sandbox-files";

/**
 * Reads `inotifywait -m -r --format '%e%0%w%f%0' --no-newline` output: pairs
 * of NUL-terminated fields (flags, full path), so any file name parses, and
 * chunks may split a pair anywhere.
 */
export class InotifyParser {
  private buffer = "";

  constructor(private readonly workspace: string) {}

  push(text: string): FileChange[] {
    const fields = (this.buffer + text).split("\0");
    this.buffer = fields.pop() ?? "";
    if (fields.length % 2 === 1) this.buffer = `${fields.pop()}\0${this.buffer}`;
    const changes: FileChange[] = [];
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const change = toChange(fields[i] ?? "", fields[i + 1] ?? "", this.workspace);
      if (change) changes.push(change);
    }
    return changes;
  }
}

export function toChange(flagList: string, fullPath: string, workspace: string): FileChange | undefined {
  const root = `${workspace}/`;
  if (!fullPath.startsWith(root)) return undefined;
  const path = fullPath.slice(root.length).replace(/\/$/, "");
  if (path === "") return undefined;
  const flags = new Set(flagList.split(","));
  const type = flags.has("ISDIR") ? "dir" : "file";
  if (flags.has("CREATE") || flags.has("MOVED_TO")) return { path, kind: "created", type };
  if (flags.has("DELETE") || flags.has("MOVED_FROM")) return { path, kind: "deleted", type };
  if (flags.has("MODIFY") || flags.has("CLOSE_WRITE")) return { path, kind: "changed", type };
  return undefined;
}
