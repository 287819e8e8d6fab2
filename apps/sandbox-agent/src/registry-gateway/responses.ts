import type { ServerResponse } from "node:http";
import { SANDBOX_REGISTRY } from "@drydock/engine";

export const TOKEN_PATH = "/auth/token";
const SERVICE = "drydock-registry";
const SAFE_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The challenge that sends Docker's client to the token endpoint. The realm
 * is on the host the client used (so it resolves for it), unless the Host
 * header is unfit to sit in a header value.
 */
export function bearerChallenge(hostHeader: string | undefined): string {
  const host = hostHeader && SAFE_HOST.test(hostHeader) ? hostHeader : `${SANDBOX_REGISTRY.host}:${SANDBOX_REGISTRY.port}`;
  return `Bearer realm="http://${host}${TOKEN_PATH}",service="${SERVICE}"`;
}

/** An error in the registry's own format, so `docker` prints its message ("denied: …"). */
export function sendRegistryError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res
    .writeHead(status, { "content-type": "application/json", "docker-distribution-api-version": "registry/2.0", ...headers })
    .end(JSON.stringify({ errors: [{ code, message }] }));
}
