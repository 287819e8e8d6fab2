import { readFileSync } from "node:fs";

/** The in-sandbox half of the files API (see the comment at its top). Sent with every call, so it never depends on the image. */
const SCRIPT = readFileSync(new URL("./sandbox-files.sh", import.meta.url), "utf8");

export type ScriptOp = "list" | "read" | "write" | "write-many" | "create" | "rename" | "remove" | "watch";

/** The command that runs one operation of sandbox-files.sh. Arguments travel as argv: never parsed by a shell. */
export function filesCommand(workspace: string, op: ScriptOp, args: string[] = []): string[] {
  return ["bash", "-c", SCRIPT, "drydock-files", workspace, op, ...args];
}

/** The same under coreutils `timeout`, so a read blocked on a FIFO cannot hang the caller. */
export function timedFilesCommand(timeoutMs: number, workspace: string, op: ScriptOp, args: string[]): string[] {
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  return ["timeout", "--kill-after=2", String(seconds), ...filesCommand(workspace, op, args)];
}
