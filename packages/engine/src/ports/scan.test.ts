import { describe, expect, it } from "vitest";
import { TERMINAL_RELAY_PORT } from "../terminal/relay-protocol";
import { parsePortScan } from "./scan";

const HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
const listen = (slot: number, hexAddress: string, port: number, inode: number) =>
  `   ${slot}: ${hexAddress}:${port.toString(16).toUpperCase().padStart(4, "0")} 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0 100 0 0 10 0`;

function scanOutput(parts: { tcp: string[]; sockets?: string[]; processes?: string[]; containers?: unknown }): string {
  return [
    HEADER,
    ...parts.tcp,
    "@@sockets",
    ...(parts.sockets ?? []),
    "@@processes",
    ...(parts.processes ?? []),
    "@@containers",
    parts.containers === undefined ? "" : JSON.stringify(parts.containers),
  ].join("\n");
}

const flask = {
  Id: "746695fb680c7d7a05f8be82c1d06647ad21821c7bd74330c70a335400a72d80",
  Names: ["/flask-app"],
  Image: "ourflask",
  Ports: [
    { IP: "0.0.0.0", PrivatePort: 5000, PublicPort: 8888, Type: "tcp" },
    { IP: "::", PrivatePort: 5000, PublicPort: 8888, Type: "tcp" },
    { PrivatePort: 6000, Type: "tcp" },
    { IP: "0.0.0.0", PrivatePort: 53, PublicPort: 5353, Type: "udp" },
  ],
};

describe("parsePortScan", () => {
  it("finds nothing in a fresh sandbox: the embedded DNS resolver and the terminal relay are infrastructure", () => {
    const tcp = [listen(0, "0B00007F", 46095, 1), listen(1, "00000000", TERMINAL_RELAY_PORT, 2)];
    expect(parsePortScan(scanOutput({ tcp, containers: [] }))).toEqual([]);
  });

  it("lists the learner's own listener on the relay's port number when it is bound to loopback", () => {
    expect(parsePortScan(scanOutput({ tcp: [listen(0, "0100007F", TERMINAL_RELAY_PORT, 1)], containers: [] }))).toEqual([
      { port: TERMINAL_RELAY_PORT, protocol: "tcp", localOnly: true },
    ]);
  });

  it("names the process holding a listening socket", () => {
    const output = scanOutput({
      tcp: [listen(0, "00000000", 8000, 4242)],
      sockets: ["/proc/7/fd socket:[999]", "/proc/312/fd socket:[4242]"],
      processes: ["      7 dockerd", "    312 python3"],
      containers: [],
    });
    expect(parsePortScan(output)).toEqual([{ port: 8000, protocol: "tcp", process: "python3" }]);
  });

  it("merges a published port with its proxy's socket and names the container once", () => {
    const output = scanOutput({
      tcp: [listen(0, "00000000", 8888, 10)],
      sockets: ["/proc/145/fd socket:[10]"],
      processes: ["    145 docker-proxy"],
      containers: [flask],
    });
    expect(parsePortScan(output)).toEqual([
      {
        port: 8888,
        protocol: "tcp",
        process: "docker-proxy",
        container: { id: "746695fb680c", name: "flask-app", image: "ourflask", targetPort: 5000 },
      },
    ]);
  });

  it("reports a published port with no proxy process (userland proxy off)", () => {
    expect(parsePortScan(scanOutput({ tcp: [], containers: [flask] }))).toEqual([
      { port: 8888, protocol: "tcp", container: { id: "746695fb680c", name: "flask-app", image: "ourflask", targetPort: 5000 } },
    ]);
  });

  it("marks ports bound to loopback only, unless another socket on the port is reachable", () => {
    const output = scanOutput({
      tcp: [listen(0, "0100007F", 5000, 1), listen(1, "0100007F", 3000, 2), listen(2, "00000000", 3000, 3)],
      containers: [{ ...flask, Ports: [{ IP: "127.0.0.1", PrivatePort: 80, PublicPort: 9000, Type: "tcp" }] }],
    });
    expect(parsePortScan(output)).toEqual([
      { port: 3000, protocol: "tcp" },
      { port: 5000, protocol: "tcp", localOnly: true },
      { port: 9000, protocol: "tcp", container: expect.objectContaining({ targetPort: 80 }), localOnly: true },
    ]);
  });

  it("sorts by port and survives an unreachable inner engine or odd JSON", () => {
    const tcp = [listen(0, "00000000", 9000, 1), listen(1, "00000000", 80, 2)];
    for (const containers of [undefined, { message: "error" }, [null, { Id: 5 }, { Id: "abc", Ports: [null, { Type: "tcp" }] }]]) {
      expect(parsePortScan(scanOutput({ tcp, containers })).map((port) => port.port)).toEqual([80, 9000]);
    }
    expect(parsePortScan("")).toEqual([]);
  });
});
