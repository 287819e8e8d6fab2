import { UsageError } from "../admin-args";

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

/** Asks for a line in the terminal without showing what is typed (raw mode: Enter ends it, Backspace erases, Ctrl-C aborts). */
function askHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  // Raw (no echo) before the prompt shows, so nothing typed after it is ever echoed.
  input.setRawMode(true);
  process.stderr.write(prompt);
  input.resume();
  input.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let typed = "";
    const finish = (settle: () => void) => {
      input.off("data", onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write("\n");
      settle();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n") return finish(() => resolve(typed));
        if (char === "\u0003") return finish(() => reject(new UsageError("Cancelled.")));
        if (char === "\u007f" || char === "\b") typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    input.on("data", onData);
  });
}

/**
 * The new password: all of stdin with its last line break removed
 * (--password-stdin), or typed twice in the terminal. With neither a flag nor
 * a terminal there is nobody to ask: that is a usage error.
 */
export async function readNewPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin) return (await readAll(process.stdin)).replace(/\r?\n$/, "");
  if (!process.stdin.isTTY) throw new UsageError("No terminal to ask for the password in: pipe it in with --password-stdin.");
  const first = await askHidden("New password: ");
  const again = await askHidden("Repeat it: ");
  if (first !== again) throw new UsageError("The two passwords differ; run the command again.");
  return first;
}
