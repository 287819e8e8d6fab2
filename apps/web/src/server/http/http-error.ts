/** Marks an HttpError of any copy of this module (see Symbol.hasInstance below). */
const HTTP_ERROR = Symbol.for("drydock.web.http-error");

/**
 * A refusal meant for the client: its message says what went wrong and what to
 * do, its status is the HTTP answer (and the socket gateways' reason). Anything
 * else thrown is a fault of ours, logged and answered without internals.
 */
export class HttpError extends Error {
  readonly [HTTP_ERROR] = true;

  constructor(
    message: string,
    readonly status: number,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  /**
   * Next's bundles hold their own copy of this class, apart from server.ts's
   * (whose context, e.g. the start budget, throws these): `instanceof` then
   * goes by the mark, so a refusal from either copy is recognised by both.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && HTTP_ERROR in value;
  }
}
