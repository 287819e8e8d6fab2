import type { Range } from "vscode-languageserver-types";

/** One thing to fix in a Dockerfile, in words for someone writing their first one. */
export interface DockerfileProblem {
  /** Zero-based, as the language service gives it. */
  range: Range;
  severity: "error" | "warning" | "info";
  /** What is wrong and what to do, in plain words. */
  message: string;
  /** The language service's own words (they match what `docker build` prints), or null when the problem is ours. */
  detail: string | null;
  /** Which kind of problem: a dockerfile-utils ValidationCode name, or one of ours. */
  code: string;
  /** Text that fixes the problem when put in place of `range` (`FROM` for `FORM`), offered as a quick fix. */
  replacement?: string;
}
