import { parseArgs } from "node:util";

/** Bad usage of a command-line tool: the message says what was wrong; the tool prints its usage after it. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The -h/--help flag every command takes. */
export const HELP_FLAG = { help: { type: "boolean", short: "h" } } as const;

type Options = NonNullable<Parameters<typeof parseArgs>[0]>["options"];

/** parseArgs in strict mode, its refusals (an unknown flag, a flag without its value) as UsageErrors. */
export function parseFlags<const O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS_"))
      throw new UsageError(error.message);
    throw error;
  }
}
