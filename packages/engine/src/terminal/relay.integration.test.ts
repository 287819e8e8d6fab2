import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DockerInDockerDriver } from "../docker-in-docker-driver";
import type { TtySession } from "../driver";
import { removeFleet } from "../removal";
import { createTestNetwork, smallSandboxOptions, type TestNetwork, typedCommand } from "../testing";
import { requestLine, TERMINAL_RELAY_PORT } from "./relay-protocol";

/**
 * The terminal relay on a real sandbox: terminals reach the shell without
 * Docker in between, only the engine that started the relay is let in, a
 * relay stopped by the learner or left by an earlier engine is replaced
 * without cutting the terminals already open, and a long paste never jams.
 */
const docker = new Docker();
const fleet = `${process.env.DRYDOCK_TEST_FLEET_PREFIX ?? "test"}-relay-${randomBytes(3).toString("hex")}`;
let network: TestNetwork;
let driver: DockerInDockerDriver;
let sandboxId: string;
const opened: TtySession[] = [];
const SIZE = { cols: 120, rows: 30 };

beforeAll(async () => {
  network = await createTestNetwork(docker);
  driver = new DockerInDockerDriver(smallSandboxOptions(docker, fleet, network.name));
  sandboxId = (await driver.create({ owner: "relay-test", lifetimeSeconds: 600 })).id;
});

afterAll(async () => {
  for (const shell of opened) shell.dispose();
  await removeFleet(fleet, docker);
  await network?.remove();
});

async function shell(through = driver, terminal?: string): Promise<TtySession> {
  const session = await through.openShell(sandboxId, SIZE, terminal ? { terminal } : {});
  opened.push(session);
  return session;
}

/** The relay's first answer to a raw connection that sends this request line. */
async function answerTo(line: Buffer): Promise<string> {
  const { host } = await driver.portEndpoint(sandboxId, TERMINAL_RELAY_PORT);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: TERMINAL_RELAY_PORT });
    let received = "";
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("utf8");
    });
    socket.on("close", () => resolve(received));
    socket.on("error", reject);
    socket.end(line);
  });
}

const attachedClients = async () =>
  Number((await driver.exec(sandboxId, ["bash", "-c", "tmux list-clients 2>/dev/null | wc -l"])).stdout.trim());

describe("the terminal relay", () => {
  it("carries a terminal: output, input, the size and resizes", async () => {
    const main = await shell();
    expect(await typedCommand(main, "echo sum=$((20+22))")).toContain("sum=42");
    expect(await typedCommand(main, "stty size")).toContain("30 120");
    await main.resize({ cols: 90, rows: 20 });
    expect(await typedCommand(main, "stty size")).toContain("20 90");
  });

  it("opens nothing for a connection without this sandbox's token", async () => {
    const request = { token: "0".repeat(64), argv: ["bash", "-c", "touch /tmp/intruder"], env: [], cwd: "/", ...SIZE };
    expect(await answerTo(requestLine(request))).toBe("unauthorized\n");
    expect(await answerTo(Buffer.from("not json\n"))).toMatch(/^error: /);
    const intruder = await driver.exec(sandboxId, ["bash", "-c", "test -e /tmp/intruder && echo found || echo absent"]);
    expect(intruder.stdout.trim()).toBe("absent");
  });

  it("is started again after the learner stops it, and the terminals already open carry on", async () => {
    const before = await shell(driver, "before-stop");
    expect(await typedCommand(before, "echo still=1")).toContain("still=1");
    const stopped = await driver.exec(sandboxId, ["bash", "-c", "kill $(cat /tmp/drydock-terminal-relay-*.pid)"]);
    expect(stopped.exitCode).toBe(0);

    const after = await shell(driver, "after-stop");
    expect(await typedCommand(after, "echo again=2")).toContain("again=2");
    expect(await typedCommand(before, "echo still=3")).toContain("still=3");
  });

  it("is replaced by a new engine's relay (an agent restarted), and the old engine's terminal carries on", async () => {
    const old = await shell(driver, "old-engine");
    const restarted = new DockerInDockerDriver(smallSandboxOptions(docker, fleet, network.name));
    const fresh = await shell(restarted, "new-engine");
    expect(await typedCommand(fresh, "echo new=4")).toContain("new=4");
    expect(await typedCommand(old, "echo old=5")).toContain("old=5");
  });

  it("takes a long paste while the shell echoes it, then hangs up its program when the terminal is closed", async () => {
    const pasting = await shell(driver, "paste");
    const catEnded = typedCommand(pasting, "cat > /tmp/pasted");
    const lines = 3000;
    // The tty echoes every line as cat reads it: output flows back while the paste flows in.
    pasting.stream.write(`${"x".repeat(99)}\r`.repeat(lines));
    pasting.stream.write("\x04");
    await catEnded;
    expect(await typedCommand(pasting, "wc -c < /tmp/pasted")).toContain(String(lines * 100));

    const clients = await attachedClients();
    pasting.dispose();
    await vi.waitFor(async () => expect(await attachedClients()).toBe(clients - 1), { timeout: 30_000, interval: 100 });
  });

  it("is left out of the sandbox's ports, which are the learner's", async () => {
    await shell();
    const ports = await driver.listPorts(sandboxId);
    expect(ports.map((port) => port.port)).not.toContain(TERMINAL_RELAY_PORT);
  });
});
