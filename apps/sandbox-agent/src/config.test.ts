import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";

const SECRET = { DRYDOCK_AGENT_SECRET: "s".repeat(32) };

describe("the agent's configuration for many machines", () => {
  it("leaves the one-machine default without a control plane", () => {
    expect(loadConfig(SECRET)).toMatchObject({ CONTROL_PLANE_URL: "", AGENT_LABELS: "", MAX_SANDBOXES: 0 });
  });

  it("takes a control plane with a credential, labels and a capacity", () => {
    const config = loadConfig({
      ...SECRET,
      CONTROL_PLANE_URL: "http://127.0.0.1:3100",
      DRYDOCK_AGENT_CREDENTIAL: "host-a.x",
      AGENT_PUBLIC_URL: "http://10.0.0.5:4100",
      AGENT_LABELS: "zone=a,size=m",
      MAX_SANDBOXES: "12",
    });
    expect(config).toMatchObject({ CONTROL_PLANE_URL: "http://127.0.0.1:3100", MAX_SANDBOXES: 12, AGENT_LABELS: "zone=a,size=m" });
  });

  it("refuses a control plane without a credential, and labels that are not name=value pairs, naming the fix", () => {
    expect(() => loadConfig({ ...SECRET, CONTROL_PLANE_URL: "http://127.0.0.1:3100" })).toThrow(
      /DRYDOCK_AGENT_CREDENTIAL: is needed with CONTROL_PLANE_URL: issue one/,
    );
    expect(() => loadConfig({ ...SECRET, AGENT_LABELS: "zone" })).toThrow(/AGENT_LABELS: name=value pairs/);
  });

  it("takes the web nodes to tunnel to as a comma-separated list of URLs, only with a control plane", () => {
    const plane = { ...SECRET, CONTROL_PLANE_URL: "http://web:3000", DRYDOCK_AGENT_CREDENTIAL: "host-a.x" };
    expect(loadConfig({ ...plane, AGENT_TUNNEL_URLS: " http://web-1:3000, http://web-2:3000 ," }).AGENT_TUNNEL_URLS).toEqual([
      "http://web-1:3000",
      "http://web-2:3000",
    ]);
    expect(loadConfig(plane).AGENT_TUNNEL_URLS).toEqual([]);
    expect(() => loadConfig({ ...plane, AGENT_TUNNEL_URLS: "web-1:3000" })).toThrow(/AGENT_TUNNEL_URLS/);
    expect(() => loadConfig({ ...plane, AGENT_TUNNEL_URLS: "https://web-1:3000" })).toThrow(
      /AGENT_TUNNEL_URLS\.0: must be http:\/\/ URLs .* tunnels do not run over https:\/\/ yet/,
    );
    expect(() => loadConfig({ ...SECRET, AGENT_TUNNEL_URLS: "http://web-1:3000" })).toThrow(/AGENT_TUNNEL_URLS: needs CONTROL_PLANE_URL/);
  });
});
