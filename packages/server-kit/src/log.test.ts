import { describe, expect, it } from "vitest";
import { createLogger, withFields } from "./log";

/** Like @drydock/engine's EngineError: a class of its own with fields a person acts on. */
class HintedError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "HintedError";
  }
}

function capture() {
  const lines: Array<{ entry: Record<string, unknown>; isError: boolean; text: string }> = [];
  const write = (text: string, isError: boolean) => lines.push({ entry: JSON.parse(text), isError, text });
  return { lines, write };
}

describe("createLogger", () => {
  it("writes one JSON line per event with level, time, component, event and the fields", () => {
    const { lines, write } = capture();
    const log = createLogger("agent", write);
    log.info("sandbox.created", { id: "sbx_1", ms: 42 });
    log.warn("pool.low", { size: 0 });
    expect(lines).toHaveLength(2);
    expect(lines[0]?.text).not.toContain("\n");
    expect(lines[0]?.entry).toEqual({
      level: "info",
      time: expect.any(String),
      component: "agent",
      event: "sandbox.created",
      id: "sbx_1",
      ms: 42,
    });
    expect(Number.isNaN(Date.parse(String(lines[0]?.entry.time)))).toBe(false);
    expect(lines[1]?.entry).toMatchObject({ level: "warn", event: "pool.low", size: 0 });
    expect(lines.map((line) => line.isError)).toEqual([false, false]);
  });

  it("writes an error once, marked as an error", () => {
    const { lines, write } = capture();
    createLogger("web", write).error("session.failed", { id: "ses_1" });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ isError: true, entry: { level: "error", component: "web", event: "session.failed", id: "ses_1" } });
  });

  it("logs an error's whole cause chain: every message, name and stack, and the fields an operator acts on", () => {
    const root = new Error("connect ECONNREFUSED /var/run/docker.sock");
    const middle = new HintedError(
      "Cannot reach the Docker engine (ECONNREFUSED).",
      "Start it with `npm run provision`.",
      "docker-unreachable",
      {
        cause: root,
      },
    );
    const top = new Error("The sandbox could not be created.", { cause: middle });
    const { lines, write } = capture();
    createLogger("agent", write).error("sandbox.create-failed", { error: top, owner: "ses_1" });

    const logged = lines[0]?.entry.error as Record<string, unknown>;
    const loggedMiddle = logged.cause as Record<string, unknown>;
    const loggedRoot = loggedMiddle.cause as Record<string, unknown>;
    expect(logged).toMatchObject({ type: "Error", message: top.message, stack: top.stack });
    expect(loggedMiddle).toMatchObject({
      type: "HintedError",
      name: "HintedError",
      message: middle.message,
      stack: middle.stack,
      hint: "Start it with `npm run provision`.",
      code: "docker-unreachable",
    });
    expect(loggedRoot).toMatchObject({ type: "Error", message: root.message, stack: root.stack });
    expect(lines[0]?.entry.owner).toBe("ses_1");
  });

  it("survives an error whose cause chain loops", () => {
    const first = new Error("first");
    const second = new Error("second", { cause: first });
    Object.defineProperty(first, "cause", { value: second });
    const { lines, write } = capture();
    createLogger("agent", write).error("loop", { error: first });
    expect(lines[0]?.entry.error).toMatchObject({ message: "first", cause: { message: "second" } });
  });

  it("withFields puts the given fields in every line, at every level", () => {
    const { lines, write } = capture();
    const log = withFields(createLogger("web", write), { node: "web-2" });
    log.info("web.listening", { port: 3000 });
    log.error("web.failed", { node: "overridden" });
    expect(lines.map((line) => line.entry)).toMatchObject([
      { component: "web", event: "web.listening", node: "web-2", port: 3000 },
      { component: "web", event: "web.failed", node: "overridden" },
    ]);
  });
});
