import { describe, expect, it } from "vitest";
import { aptProxyConfig, dockerClientConfig, packageCacheProxyUrl } from "./package-cache";

describe("the sandbox's package-cache configuration", () => {
  const proxy = packageCacheProxyUrl("172.18.0.1");

  it("is the gateway address and the cache's port", () => {
    expect(proxy).toBe("http://172.18.0.1:3142");
    expect(packageCacheProxyUrl("10.1.2.1", 4000)).toBe("http://10.1.2.1:4000");
  });

  it("gives the Docker client the cache as http proxy only, never for the registry or the sandbox itself", () => {
    const config = JSON.parse(dockerClientConfig(proxy));
    expect(config).toEqual({ proxies: { default: { httpProxy: proxy, noProxy: expect.any(String) } } });
    expect(config.proxies.default.noProxy.split(",")).toEqual(expect.arrayContaining(["localhost", "127.0.0.0/8", "drydock-registry"]));
  });

  it("gives apt the cache for http", () => {
    expect(aptProxyConfig(proxy)).toContain(`Acquire::http::Proxy "${proxy}";`);
  });
});
