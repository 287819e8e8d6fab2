import type { Socket } from "socket.io";
import type { z } from "zod";
import type { WebContext } from "../context";
import { HttpError } from "../http/http-error";

interface Admission<S extends z.ZodType, D extends object> {
  /** What the handshake's auth must be. */
  schema: S;
  /** The refusal's reason when it is not. */
  malformed: string;
  /** Who the socket is, from its auth and its cookie; an HttpError is a refusal with its reason. */
  admit(auth: z.infer<S>, cookie: string | undefined): Promise<D>;
  /** What is being checked, for the refusal when the check itself failed ("the session"). */
  what: string;
  /** The log event of such a failure. */
  event: string;
}

/**
 * socket.io middleware of the web's gateways: the handshake is checked, the
 * cookie says who the socket is, and what `admit` returns becomes
 * `socket.data`. A refusal carries "Refused: <reason>"; an unexpected failure
 * is logged and refused without its internals.
 */
export function admission<S extends z.ZodType, D extends object>(ctx: WebContext, rule: Admission<S, D>) {
  return (socket: Socket, next: (error?: Error) => void): void => {
    const auth = rule.schema.safeParse(socket.handshake.auth);
    if (!auth.success) {
      next(new Error(`Refused: ${rule.malformed}`));
      return;
    }
    rule
      .admit(auth.data, socket.handshake.headers.cookie)
      .then((data) => {
        Object.assign(socket.data, data);
        next();
      })
      .catch((error: unknown) => {
        if (!(error instanceof HttpError)) ctx.log.error(rule.event, { error });
        next(new Error(error instanceof HttpError ? `Refused: ${error.message}` : `Refused: ${rule.what} could not be checked.`));
      });
  };
}
