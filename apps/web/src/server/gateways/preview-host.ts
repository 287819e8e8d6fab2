/**
 * Port previews live on their own origins: `<port>-<session>.<PREVIEW_DOMAIN>`,
 * one per session and port. A learner's app then never shares an origin (or
 * cookies) with Drydock's pages, nor with another preview.
 */
export interface PreviewAddress {
  sessionId: string;
  port: number;
}

/** Session ids are `<prefix>_<hex>`; the underscore is not allowed in host names, so it becomes a hyphen. */
const SESSION_ID = /^([a-z0-9]+)_([a-z0-9]+)$/;
const LABEL = /^([1-9]\d{0,4})-([a-z0-9]+)-([a-z0-9]+)$/;

export function previewHostname(address: PreviewAddress, domain: string): string {
  const match = SESSION_ID.exec(address.sessionId);
  if (!match || !isPort(address.port)) throw new Error(`No preview host for session ${address.sessionId}, port ${address.port}.`);
  return `${address.port}-${match[1]}-${match[2]}.${domain}`;
}

/** The host name of a Host header: lower case, without its port. */
function hostnameOf(hostHeader: string | undefined): string {
  return (hostHeader ?? "").toLowerCase().replace(/:\d+$/, "");
}

/** Whether a request is for the preview domain at all (valid or not, it must never reach Drydock's pages). */
export function isPreviewHost(hostHeader: string | undefined, domain: string): boolean {
  return hostnameOf(hostHeader).endsWith(`.${domain}`);
}

export function parsePreviewHost(hostHeader: string | undefined, domain: string): PreviewAddress | undefined {
  const hostname = hostnameOf(hostHeader);
  if (!hostname.endsWith(`.${domain}`)) return undefined;
  const match = LABEL.exec(hostname.slice(0, -(domain.length + 1)));
  if (!match) return undefined;
  const port = Number(match[1]);
  return isPort(port) ? { sessionId: `${match[2]}_${match[3]}`, port } : undefined;
}

/** The preview's URL as a browser on `mainHost` (Drydock's own Host header) reaches it: same scheme and port. */
export function previewUrl(
  address: PreviewAddress,
  domain: string,
  main: { protocol: string; host: string },
  pathAndQuery: string,
): string {
  const port = /:(\d+)$/.exec(main.host)?.[1];
  return `${main.protocol}//${previewHostname(address, domain)}${port ? `:${port}` : ""}${pathAndQuery}`;
}

/** A path to send a browser to on the preview origin: absolute, and never one a browser would read as another host. */
export function isSafePreviewPath(path: string): boolean {
  if (path.length > 2048 || !/^\/(?![/\\])/.test(path) || path.includes("\\")) return false;
  // Control characters could split a Location header or be dropped by a browser into another URL.
  return [...path].every((char) => char.charCodeAt(0) > 0x1f && char.charCodeAt(0) !== 0x7f);
}

function isPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}
