import { createHmac } from "node:crypto";
import type { TtySize } from "../driver";

/**
 * The wire of drydock-terminal-relay (terminal-relay.py),
 * which carries a sandbox's terminals from the host without Docker in
 * between: one JSON request line, one answer line, then the pty's output raw
 * one way and frames the other.
 */

/** Where the relay listens in each sandbox's network namespace; port scans leave it out. */
export const TERMINAL_RELAY_PORT = 7623;

export interface RelayRequest {
  token: string;
  argv: string[];
  env: string[];
  cwd: string;
  cols: number;
  rows: number;
}

export type RelayAnswer = { kind: "ok" } | { kind: "unauthorized" } | { kind: "error"; reason: string };

const FRAME_HEAD_BYTES = 5;
const INPUT = 0x64; // "d"
const RESIZE = 0x72; // "r"

/**
 * The sandbox's token: the relay of one sandbox must refuse every other
 * sandbox's connections, and a learner who reads their own relay's token
 * learns nothing about another's.
 */
export function relayToken(key: Buffer, sandboxId: string): string {
  return createHmac("sha256", key).update(`terminal-relay:${sandboxId}`).digest("hex");
}

export function requestLine(request: RelayRequest): Buffer {
  return Buffer.from(`${JSON.stringify(request)}\n`, "utf8");
}

export function parseAnswer(line: string): RelayAnswer {
  if (line === "ok") return { kind: "ok" };
  if (line === "unauthorized") return { kind: "unauthorized" };
  return { kind: "error", reason: line.replace(/^error: /, "") || "the relay answered nothing" };
}

export function inputFrame(data: Buffer): Buffer {
  return frame(INPUT, data);
}

export function resizeFrame({ cols, rows }: TtySize): Buffer {
  const size = Buffer.alloc(4);
  size.writeUInt16BE(cols, 0);
  size.writeUInt16BE(rows, 2);
  return frame(RESIZE, size);
}

function frame(kind: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(FRAME_HEAD_BYTES);
  head.writeUInt8(kind, 0);
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}
