import { pino } from "pino";

/**
 * Structured logs through pino: one JSON object per line, `level` (a word),
 * `time` (ISO 8601), `component`, `event`, then the fields. Any field that is
 * an Error is written whole: its class (`type`), message and stack, its own
 * fields (an EngineError's `hint` and `code`) and its `cause`, down the chain.
 *
 * Errors go to stderr, info and warnings to stdout: an operator (or a shell's
 * `2>`) sees the failures apart from the chatter, as before pino.
 */
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/** Receives each line without its newline; `isError` for level "error". Tests pass one to capture lines. */
export type LineWriter = (line: string, isError: boolean) => void;

function describeErrors(fields: LogFields): LogFields {
  const described: LogFields = {};
  for (const [key, value] of Object.entries(fields))
    described[key] = value instanceof Error ? pino.stdSerializers.errWithCause(value) : value;
  return described;
}

export function createLogger(component: string, write: LineWriter = defaultWrite): Logger {
  const lines = (isError: boolean) => ({ write: (line: string) => write(line.endsWith("\n") ? line.slice(0, -1) : line, isError) });
  const logger = pino(
    {
      base: { component },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: describeErrors },
    },
    // dedupe: a line goes to the stream of the highest level it reaches only, so an error is not also written as info.
    pino.multistream(
      [
        { level: "info", stream: lines(false) },
        { level: "error", stream: lines(true) },
      ],
      { dedupe: true },
    ),
  );
  return {
    info: (event, fields) => logger.info({ event, ...fields }),
    warn: (event, fields) => logger.warn({ event, ...fields }),
    error: (event, fields) => logger.error({ event, ...fields }),
  };
}

/** The same logger with `fields` in every line (a web node's name, say); a line's own fields come after them. */
export function withFields(log: Logger, fields: LogFields): Logger {
  return {
    info: (event, more) => log.info(event, { ...fields, ...more }),
    warn: (event, more) => log.warn(event, { ...fields, ...more }),
    error: (event, more) => log.error(event, { ...fields, ...more }),
  };
}

function defaultWrite(line: string, isError: boolean): void {
  (isError ? process.stderr : process.stdout).write(`${line}\n`);
}
