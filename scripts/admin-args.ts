import { type ParseArgsConfig, parseArgs } from "node:util";

/** The command line of `npm run admin`, read by node:util's parseArgs: unknown flags and missing values are refused. */
export const ADMIN_USAGE = `usage: npm run admin -- create-instructor --email EMAIL --name NAME [--password-stdin]
       npm run admin -- list-instructors [--json]
       npm run admin -- reset-password --email EMAIL [--password-stdin]

Without --password-stdin the password is asked for (twice, not shown) in the terminal.
The database is DATABASE_URL's, as for the web app (default .drydock/drydock.db).`;

export type AdminCommand =
  | { command: "help" }
  | { command: "create-instructor"; email: string; name: string; passwordStdin: boolean }
  | { command: "list-instructors"; json: boolean }
  | { command: "reset-password"; email: string; passwordStdin: boolean };

/** Bad usage: the message says what was wrong; the usage follows it. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const HELP = { help: { type: "boolean", short: "h" } } as const;
const PASSWORD = { "password-stdin": { type: "boolean" } } as const;
const EMAIL = { email: { type: "string" } } as const;

type Options = NonNullable<ParseArgsConfig["options"]>;

function parse<const O extends Options>(args: string[], options: O) {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS_"))
      throw new UsageError(error.message);
    throw error;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`Unexpected argument "${parsed.positionals[0]}".`);
  return parsed.values;
}

function required(value: unknown, flag: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`Give ${flag}.`);
  return value;
}

export function parseAdminArgs(argv: string[]): AdminCommand {
  const [command, ...args] = argv;
  if (command === "--help" || command === "-h" || command === "help") return { command: "help" };
  if (command === undefined) throw new UsageError("Name a command: create-instructor, list-instructors or reset-password.");
  switch (command) {
    case "create-instructor": {
      const values = parse(args, { ...HELP, ...PASSWORD, ...EMAIL, name: { type: "string" } });
      if (values.help) return { command: "help" };
      return {
        command,
        email: required(values.email, "--email EMAIL"),
        name: required(values.name, '--name "NAME"'),
        passwordStdin: values["password-stdin"] === true,
      };
    }
    case "list-instructors": {
      const values = parse(args, { ...HELP, json: { type: "boolean" } });
      if (values.help) return { command: "help" };
      return { command, json: values.json === true };
    }
    case "reset-password": {
      const values = parse(args, { ...HELP, ...PASSWORD, ...EMAIL });
      if (values.help) return { command: "help" };
      return { command, email: required(values.email, "--email EMAIL"), passwordStdin: values["password-stdin"] === true };
    }
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}
