import { EngineError } from "@drydock/engine";
import type { Ack } from "@drydock/protocol";
import type { Logger } from "@drydock/server-kit";

/** A refusal meant for the caller: its message is safe and useful to show. */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/**
 * Runs a request handler and answers through the acknowledgement, whatever
 * happens: a handler's failure never escapes into the socket server.
 */
export function answer<T>(ack: unknown, log: Logger, event: string, work: () => Promise<T>): void {
  const reply: Ack<T> = typeof ack === "function" ? (ack as Ack<T>) : () => {};
  work()
    .then((value) => reply({ ok: true, value }))
    .catch((error: unknown) => {
      if (error instanceof RequestError || error instanceof EngineError) {
        reply({ ok: false, error: error.message, ...(error.hint ? { hint: error.hint } : {}) });
        return;
      }
      log.error("request.failed", { event, error });
      reply({ ok: false, error: "The agent could not complete the request.", hint: "Try again; if it persists, see the agent's log." });
    });
}
