import { parseArgs } from "node:util";

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

/** Bad usage: the message says what was wrong; the usage follows it. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const HELP = { help: { type: "boolean", short: "h" } } as const;

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

type Options = NonNullable<Parameters<typeof parseArgs>[0]>["options"];

/** parseArgs in strict mode, its refusals (an unknown flag, a flag without its value) as UsageErrors. */
function parse<const O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS_"))
      throw new UsageError(error.message);
    throw error;
  }
}
