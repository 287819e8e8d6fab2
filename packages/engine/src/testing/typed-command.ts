import { randomBytes } from "node:crypto";
import type { TtySession } from "../driver";

/**
 * Types a command into the shell and resolves with everything printed until it
 * has finished. The end marker is quoted so that the shell's echo of the typed
 * line does not contain it, only the command's output does.
 */
export function typedCommand(session: TtySession, command: string, timeoutMs = 90_000): Promise<string> {
  const tag = `done-${randomBytes(3).toString("hex")}`;
  const marker = `@@${tag}`;
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      session.stream.off("data", onData);
      reject(new Error(`"${marker}" did not appear within ${timeoutMs} ms; output was:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.includes(marker)) {
        clearTimeout(timer);
        session.stream.off("data", onData);
        resolve(output);
      }
    };
    session.stream.on("data", onData);
    session.stream.write(`${command}; echo "@@"'${tag}'\r`);
  });
}
