import { HELP_FLAG as HELP, parseFlags, UsageError } from "./lib/command-line";

export { UsageError };

/** The command line of `npm run admin`, read by node:util's parseArgs: unknown flags and missing values are refused. */
export const ADMIN_USAGE = `usage: npm run admin -- create-instructor --email EMAIL --name NAME [--password-stdin]
       npm run admin -- list-instructors [--json]
       npm run admin -- reset-password --email EMAIL [--password-stdin]
       npm run admin -- issue-agent --name NAME
       npm run admin -- revoke-agent --name NAME
       npm run admin -- list-agents [--json]

Without --password-stdin the password is asked for (twice, not shown) in the terminal.
issue-agent prints a sandbox host's credential once: give it to that agent as DRYDOCK_AGENT_CREDENTIAL
(with CONTROL_PLANE_URL). Once any agent is registered, sandboxes go only to registered agents.
The database is DATABASE_URL's, as for the web app (default .drydock/drydock.db).`;

export type AdminCommand =
  | { command: "help" }
  | { command: "create-instructor"; email: string; name: string; passwordStdin: boolean }
  | { command: "list-instructors"; json: boolean }
  | { command: "reset-password"; email: string; passwordStdin: boolean }
  | { command: "issue-agent" | "revoke-agent"; name: string }
  | { command: "list-agents"; json: boolean };

const PASSWORD = { "password-stdin": { type: "boolean" } } as const;
const EMAIL = { email: { type: "string" } } as const;

/** The flags, with no positional arguments: every value of these commands is named. */
function parse<const O extends Parameters<typeof parseFlags>[1]>(args: string[], options: O) {
  const parsed = parseFlags(args, options);
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
  if (command === undefined)
    throw new UsageError("Name a command: create-instructor, list-instructors, reset-password, issue-agent, revoke-agent or list-agents.");
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
    case "issue-agent":
    case "revoke-agent": {
      const values = parse(args, { ...HELP, name: { type: "string" } });
      if (values.help) return { command: "help" };
      return { command, name: required(values.name, "--name NAME") };
    }
    case "list-agents":
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
