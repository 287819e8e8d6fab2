import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { TtySession } from "../driver";
import { EngineError } from "../errors";
import type { ExecResult } from "../exec";
import type { FreezeGate } from "../freeze-gate";
import { type RelayRequest, relayToken, TERMINAL_RELAY_PORT } from "./relay-protocol";
import { openRelayedTty, RelayNotServing } from "./relayed-tty";

/**
 * The relay's start: shipped with the engine and handed to the sandbox's
 * python3, as the shell integration is, so it never depends on the image
 * (sandboxes made before an upgrade get it too); isolated from the learner's
 * Python settings (-I) and without the site modules it does not use (-S:
 * less of the sandbox's memory). The last argument names it in the process
 * list, where a new relay looks for the one it replaces.
 */
const RELAY_COMMAND = [
  "python3",
  "-I",
  "-S",
  "-c",
  readFileSync(new URL("./terminal-relay.py", import.meta.url), "utf8"),
  "drydock-terminal-relay",
];

/** What the relays need of the driver. */
export interface RelayHost {
  /** The running sandbox's address on the sandbox network, which this host reaches. */
  address(sandboxId: string): Promise<string>;
  /** Runs a command in the sandbox as its learner's user (outside the inner engine's namespaces), with this environment. */
  start(sandboxId: string, command: string[], env: string[]): Promise<ExecResult>;
  /** The sandbox's freeze gate: a pause waits for a terminal being opened, as for an exec being started. */
  gate(sandboxId: string): FreezeGate;
}

/**
 * Opens sandboxes' terminals through their relays (terminal-relay.py),
 * starting a sandbox's relay the first time it is needed: at its first
 * terminal, after an engine restart (a new key, so the old relay refuses the
 * tokens), or after the learner stopped it.
 */
export class TerminalRelays {
  /** Each sandbox's token is derived from it: a fresh key per engine, so an old engine's relays refuse the new one. */
  private readonly key = randomBytes(32);
  private readonly starting = new Map<string, Promise<void>>();

  constructor(private readonly host: RelayHost) {}

  async open(sandboxId: string, request: Omit<RelayRequest, "token">): Promise<TtySession> {
    const address = await this.host.address(sandboxId);
    const token = relayToken(this.key, sandboxId);
    const open = async () => {
      const leave = await this.host.gate(sandboxId).enter();
      try {
        return await openRelayedTty({ host: address, port: TERMINAL_RELAY_PORT }, { ...request, token });
      } finally {
        leave();
      }
    };
    try {
      return await open();
    } catch (error) {
      if (!(error instanceof RelayNotServing)) throw notOpened(sandboxId, error);
    }
    await this.start(sandboxId, token);
    return open().catch((error: unknown) => {
      throw notOpened(sandboxId, error);
    });
  }

  /** One start at a time per sandbox: a second start would replace the first relay as its caller connects. */
  private start(sandboxId: string, token: string): Promise<void> {
    const under = this.starting.get(sandboxId);
    if (under) return under;
    const started = this.host
      .start(sandboxId, RELAY_COMMAND, [`DRYDOCK_TERMINAL_TOKEN=${token}`, `DRYDOCK_TERMINAL_PORT=${TERMINAL_RELAY_PORT}`])
      .then((result) => {
        if (result.exitCode === 0 && result.stdout.includes("listening")) return;
        throw new EngineError(
          `The terminal relay of sandbox ${sandboxId} did not start: ${result.stderr.trim() || `exit code ${result.exitCode}`}.`,
          "Start a new session; if every sandbox fails so, check that the sandbox image has python3 (`npm run provision` builds one that does).",
          "sandbox-failed",
        );
      })
      .finally(() => this.starting.delete(sandboxId));
    this.starting.set(sandboxId, started);
    return started;
  }
}

function notOpened(sandboxId: string, error: unknown): EngineError {
  return new EngineError(
    `A terminal of sandbox ${sandboxId} could not be opened: ${error instanceof Error ? error.message : String(error)}`,
    "Open the terminal again (reload the page); if it keeps failing, start a new session.",
    "sandbox-failed",
    { cause: error },
  );
}
