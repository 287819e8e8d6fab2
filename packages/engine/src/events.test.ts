import { describe, expect, it } from "vitest";
import { parseSandboxEvent } from "./events";

const line = (message: unknown) => JSON.stringify(message);

describe("Docker events as sandbox events", () => {
  it("reads a sandbox container's death with its exit code and time", () => {
    const event = parseSandboxEvent(
      line({
        Type: "container",
        Action: "die",
        timeNano: 1_700_000_000_123_000_000,
        Actor: { Attributes: { "io.drydock.sandbox-id": "sbx_1", exitCode: "137" } },
      }),
    );
    expect(event).toEqual({ sandboxId: "sbx_1", kind: "died", at: new Date(1_700_000_000_123), exitCode: 137 });
  });

  it("names removal, kills and out-of-memory kills", () => {
    const kinds = ["destroy", "kill", "oom"].map(
      (Action) =>
        parseSandboxEvent(line({ Type: "container", Action, time: 1, Actor: { Attributes: { "io.drydock.sandbox-id": "s" } } }))?.kind,
    );
    expect(kinds).toEqual(["removed", "killed", "oom"]);
  });

  it("ignores other events, other objects, containers that are not sandboxes and broken lines", () => {
    const sandbox = { "io.drydock.sandbox-id": "s" };
    expect(parseSandboxEvent(line({ Type: "container", Action: "start", Actor: { Attributes: sandbox } }))).toBeUndefined();
    expect(parseSandboxEvent(line({ Type: "volume", Action: "destroy", Actor: { Attributes: sandbox } }))).toBeUndefined();
    expect(parseSandboxEvent(line({ Type: "container", Action: "die", Actor: { Attributes: {} } }))).toBeUndefined();
    expect(parseSandboxEvent("{not json")).toBeUndefined();
  });
});
