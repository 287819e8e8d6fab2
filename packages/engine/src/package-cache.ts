import type Docker from "dockerode";
import { EngineError } from "./errors";
import { type ExecOptions, execCollect } from "./exec";
import { SANDBOX_REGISTRY } from "./network";

/**
 * Where a sandbox's apt-get goes: the agent's package-cache gateway on the
 * sandbox network's gateway address (an address, not a name: the learner's
 * containers and builds do not see the sandbox's /etc/hosts).
 */
export const SANDBOX_PACKAGE_CACHE_PORT = 3142;

/** What is never proxied: the sandbox itself, and the registry its engine pulls from. */
export const PACKAGE_CACHE_NO_PROXY = ["localhost", "127.0.0.0/8", "::1", SANDBOX_REGISTRY.host].join(",");

export function packageCacheProxyUrl(address: string, port = SANDBOX_PACKAGE_CACHE_PORT): string {
  return `http://${address}:${port}`;
}

/**
 * The Docker client's configuration (~/.docker/config.json) with the cache as
 * the proxy: the client passes it as HTTP_PROXY/http_proxy (and NO_PROXY) into
 * every `docker run` and, as build arguments BuildKit keeps out of the image's
 * history, into every `docker build`. Only plain http: https goes its own way.
 */
export function dockerClientConfig(proxyUrl: string): string {
  return `${JSON.stringify({ proxies: { default: { httpProxy: proxyUrl, noProxy: PACKAGE_CACHE_NO_PROXY } } }, null, 2)}\n`;
}

/** The sandbox's own apt (privileged sandboxes can install packages in it). */
export function aptProxyConfig(proxyUrl: string): string {
  return `// Written by Drydock: Debian's archive through the host's package cache.\nAcquire::http::Proxy "${proxyUrl}";\n`;
}

export const DOCKER_CLIENT_CONFIG_PATH = "/root/.docker/config.json";
export const APT_PROXY_CONFIG_PATH = "/etc/apt/apt.conf.d/01drydock-package-cache";

/**
 * Writes both at a sandbox's creation: the client's as the learner (whose
 * file it is, `docker login` adds to it), apt's as the container's root.
 */
export async function configurePackageCache(
  container: Docker.Container,
  proxyUrl: string,
  asLearner: (command: string[], options: ExecOptions) => ReturnType<typeof execCollect>,
): Promise<void> {
  const writes = [
    asLearner(writeFileCommand(DOCKER_CLIENT_CONFIG_PATH), { stdin: dockerClientConfig(proxyUrl) }),
    execCollect(container, writeFileCommand(APT_PROXY_CONFIG_PATH), { user: "root", stdin: aptProxyConfig(proxyUrl) }),
  ];
  for (const result of await Promise.all(writes)) {
    if (result.exitCode !== 0) {
      throw new EngineError(
        `Configuring the sandbox's package cache failed: ${result.stderr.trim().slice(0, 300)}`,
        "Rebuild the sandbox image with `npm run provision`; if it persists, report it with the agent's log.",
        "sandbox-failed",
      );
    }
  }
}

function writeFileCommand(path: string): string[] {
  return ["sh", "-c", 'mkdir -p "$(dirname "$1")" && cat >"$1"', "write", path];
}
