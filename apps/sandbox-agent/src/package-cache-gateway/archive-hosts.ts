/**
 * What the package-cache gateway passes on. Pure: a request line in, a
 * decision out. Only plain-HTTP GET and HEAD requests, in a proxy's absolute
 * form, for Debian's archive hosts: the gateway must never become a way out
 * to the rest of the internet (with SANDBOX_EGRESS=none it is a sandbox's one
 * way out at all).
 */

export type PackageRequestDecision =
  /** Ask the cache for exactly this absolute URL (the one checked, normalised). */
  { action: "forward"; url: string; host: string } | { action: "refuse"; status: 400 | 403 | 405; message: string };

/**
 * Debian's archive by the names its sources lists use: deb.debian.org (the
 * CDN, main and security archives), security.debian.org, ftp.debian.org,
 * the country mirrors ftp.XX.debian.org and the old httpredir name.
 */
const DEBIAN_ARCHIVE_HOST = /^(?:deb|security|ftp|httpredir)\.debian\.org$|^ftp\.[a-z]{2}\.debian\.org$/;

export const HTTPS_HINT =
  "Drydock's package cache serves Debian's archive over plain http (apt checks every package's signature): " +
  "use http://deb.debian.org sources, as the debian images do.";

export function isDebianArchiveHost(host: string): boolean {
  return DEBIAN_ARCHIVE_HOST.test(host);
}

export function decidePackageRequest(method: string, target: string): PackageRequestDecision {
  if (method === "CONNECT") return { action: "refuse", status: 405, message: `Tunnels (CONNECT, https) are not offered. ${HTTPS_HINT}` };
  if (method !== "GET" && method !== "HEAD") {
    return { action: "refuse", status: 405, message: `The package cache only reads (GET, HEAD), not ${method.slice(0, 20)}.` };
  }
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return {
      action: "refuse",
      status: 400,
      message:
        "This is Drydock's package cache, an HTTP proxy for Debian's archive: set http_proxy to it rather than requesting it directly.",
    };
  }
  if (url.protocol !== "http:") return { action: "refuse", status: 400, message: `Only http:// URLs pass. ${HTTPS_HINT}` };
  if (url.username || url.password)
    return { action: "refuse", status: 400, message: "URLs with credentials do not pass the package cache." };
  if (url.port !== "" || !isDebianArchiveHost(url.hostname)) {
    return {
      action: "refuse",
      status: 403,
      message:
        `${url.host.slice(0, 100)} is not Debian's archive: Drydock's package cache (your http_proxy) serves deb.debian.org and ` +
        "security.debian.org only. For other hosts, run the command with http_proxy unset (`env -u http_proxy -u HTTP_PROXY …`), " +
        "where the sandbox may reach the internet.",
    };
  }
  return { action: "forward", url: url.href, host: url.host };
}
