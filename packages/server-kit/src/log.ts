/** Structured logs: one JSON object per line on stdout (errors on stderr). */
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

function describe(value: unknown): unknown {
  return value instanceof Error ? { message: value.message, name: value.name } : value;
}

export function createLogger(component: string, write: (line: string, isError: boolean) => void = defaultWrite): Logger {
  const emit = (level: string, event: string, fields: LogFields = {}) => {
    const entry: LogFields = { time: new Date().toISOString(), level, component, event };
    for (const [key, value] of Object.entries(fields)) entry[key] = describe(value);
    write(JSON.stringify(entry), level === "error");
  };
  return {
    info: (event, fields) => emit("info", event, fields),
    warn: (event, fields) => emit("warn", event, fields),
    error: (event, fields) => emit("error", event, fields),
  };
}

function defaultWrite(line: string, isError: boolean): void {
  (isError ? process.stderr : process.stdout).write(`${line}\n`);
}
