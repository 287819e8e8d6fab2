import { HELP_FLAG as HELP, parseFlags as parse, UsageError } from "./lib/command-line";

export { UsageError };

/** The command line of `npm run lessons`, read by node:util's parseArgs: unknown flags and missing values are refused. */
export const LESSONS_USAGE = `usage: npm run lessons -- check [dir]
       npm run lessons -- test [--dir DIR] [--jobs N] [--transcripts DIR] [id...]
       npm run lessons -- import-killercoda SCENARIO_DIR OUT_DIR`;

export type LessonsCommand =
  | { command: "help" }
  /** `dir` undefined: the built-in lessons. */
  | { command: "check"; dir?: string }
  | { command: "test"; dir?: string; jobs: number; transcripts?: string; ids: string[] }
  | { command: "import-killercoda"; scenario: string; out: string };

export function parseLessonsArgs(argv: string[]): LessonsCommand {
  const [command, ...args] = argv;
  if (command === "--help" || command === "-h" || command === "help") return { command: "help" };
  if (command === undefined) throw new UsageError("Name a command: check, test or import-killercoda.");
  switch (command) {
    case "check": {
      const { values, positionals } = parse(args, HELP);
      if (values.help) return { command: "help" };
      if (positionals.length > 1)
        throw new UsageError(`check takes one folder at most; got ${positionals.length}: ${positionals.join(" ")}.`);
      return { command: "check", dir: positionals[0] };
    }
    case "test": {
      const { values, positionals } = parse(args, {
        ...HELP,
        dir: { type: "string" },
        jobs: { type: "string" },
        transcripts: { type: "string" },
      });
      if (values.help) return { command: "help" };
      const jobs = values.jobs === undefined ? 1 : Number(values.jobs);
      if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs takes a whole number of 1 or more; got "${values.jobs}".`);
      return { command: "test", dir: values.dir, jobs, transcripts: values.transcripts, ids: positionals };
    }
    case "import-killercoda": {
      const { values, positionals } = parse(args, HELP);
      if (values.help) return { command: "help" };
      const [scenario, out, ...extra] = positionals;
      if (!scenario || !out || extra.length > 0)
        throw new UsageError("import-killercoda takes exactly two folders: the scenario and where to write the lesson.");
      return { command: "import-killercoda", scenario, out };
    }
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}
