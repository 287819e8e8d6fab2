import { spawnSync } from "node:child_process";

/** The first syntax error of a script: its line within the script (1-based) and bash's words. */
export interface ShellSyntaxError {
  line: number;
  message: string;
}

/** Checks a script's syntax without running it. Injected so tests and other hosts can swap it. */
export type ShellSyntaxChecker = (script: string) => ShellSyntaxError | undefined;

/**
 * `bash -n` on the script: the same parser the sandbox runs it with. The
 * script goes in as `-c`'s argument, not on stdin, because only then does bash
 * name the line of an error.
 */
export const bashSyntaxChecker: ShellSyntaxChecker = (script) => {
  const result = spawnSync("bash", ["-n", "-c", script], { encoding: "utf8", timeout: 10_000 });
  if (result.error) {
    return { line: 1, message: `bash -n could not run (${result.error.message}); install bash to check scripts` };
  }
  if (result.status === 0) return undefined;
  return parseBashError(result.stderr, script);
};

/**
 * bash reports "bash: line 3: syntax error near unexpected token `fi'"; the
 * first such line wins; a line past the end means the script's last line.
 */
export function parseBashError(stderr: string, script: string): ShellSyntaxError {
  const lines = stderr.split("\n").filter((line) => line.trim() !== "");
  const first = lines.find((line) => /syntax error|unexpected/.test(line)) ?? lines[0] ?? "syntax error";
  const lastLine = Math.max(1, script.replace(/\n$/, "").split("\n").length);
  const match = /line (\d+): (.*)$/.exec(first);
  if (!match) return { line: lastLine, message: first.replace(/^bash: (-c: )?/, "") };
  // "unexpected end of file" is reported one line past the end.
  return { line: Math.min(Number(match[1]), lastLine), message: match[2] ?? first };
}
