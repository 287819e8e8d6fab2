import type { IncomingMessage } from "node:http";

/**
 * The header in which server.ts hands Next's routes the address the request
 * came from (routes see only headers). Whatever a client sent under this name
 * is replaced, so it cannot be forged.
 */
export const CLIENT_ADDRESS_HEADER = "x-drydock-client-address";

export function stampClientAddress(req: IncomingMessage): void {
  req.headers[CLIENT_ADDRESS_HEADER] = req.socket.remoteAddress ?? "unknown";
}

/** The address server.ts stamped on the request. */
export function clientAddress(headers: Headers): string {
  const address = headers.get(CLIENT_ADDRESS_HEADER);
  if (!address) throw new Error(`The request has no ${CLIENT_ADDRESS_HEADER}: start the web app with server.ts, which sets it.`);
  return address;
}
