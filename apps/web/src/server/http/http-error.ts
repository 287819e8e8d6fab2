/**
 * A refusal meant for the client: its message says what went wrong and what to
 * do, its status is the HTTP answer (and the socket gateways' reason). Anything
 * else thrown is a fault of ours, logged and answered without internals.
 */
export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
