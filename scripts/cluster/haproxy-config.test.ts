import { describe, expect, it } from "vitest";
import { balancerConfig, parseServerStates } from "./haproxy-config";

const options = {
  port: 3100,
  servers: [
    { name: "web1", port: 3101 },
    { name: "web2", port: 3102 },
  ],
  healthPath: "/healthz",
  statsSocket: "/tmp/state/admin.sock",
};

describe("balancerConfig", () => {
  const config = balancerConfig(options);

  it("balances the web nodes by least connections without a cookie, checking their health path", () => {
    expect(config).toContain("bind 127.0.0.1:3100");
    expect(config).toContain("balance leastconn");
    expect(config).not.toMatch(/\bcookie\b/);
    expect(config).toContain("http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host localhost");
    expect(config).toContain("http-check expect status 200");
    expect(config).toContain("server web1 127.0.0.1:3101 check");
    expect(config).toContain("server web2 127.0.0.1:3102 check");
  });

  it("keeps WebSocket tunnels open long and closes those of a node taken out", () => {
    expect(config).toContain("timeout tunnel 1h");
    expect(config).toContain("on-marked-down shutdown-sessions");
  });

  it("refuses names and paths that would break the file", () => {
    expect(() => balancerConfig({ ...options, servers: [] })).toThrow(/at least one web node/);
    expect(() => balancerConfig({ ...options, servers: [{ name: "web 1", port: 1 }] })).toThrow(/server name "web 1"/);
    expect(() => balancerConfig({ ...options, healthPath: "/healthz\n  server evil 1.2.3.4:80" })).toThrow(/plain path/);
  });
});

describe("parseServerStates", () => {
  it("reads the web backend's servers from show stat, leaving out the frontend and backend rows", () => {
    const csv = [
      "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight",
      "drydock,FRONTEND,,,0,1,4096,3,0,0,0,0,0,,,,,OPEN,",
      "web,web1,0,0,0,1,,2,0,0,,0,,0,0,0,0,UP,1",
      "web,web2,0,0,0,1,,1,0,0,,0,,0,0,0,0,DOWN 1/2,1",
      "web,BACKEND,0,0,0,1,410,3,0,0,0,0,,0,0,0,0,UP,2",
      "",
    ].join("\n");
    expect(parseServerStates(csv)).toEqual({ web1: "UP", web2: "DOWN 1/2" });
  });

  it("says so when the answer is not show stat's", () => {
    expect(() => parseServerStates("Unknown command")).toThrow(/show stat/);
  });
});
