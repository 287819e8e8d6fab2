import { connect, type Socket } from "node:net";
import { Duplex } from "node:stream";
import type { TtySession, TtySize } from "../driver";
import { inputFrame, parseAnswer, type RelayAnswer, type RelayRequest, requestLine, resizeFrame } from "./relay-protocol";

/** How long the relay may take to answer a terminal's request: it only forks, but on a busy host. */
const ANSWER_TIMEOUT_MS = 20_000;
const ANSWER_LIMIT_BYTES = 4096;

export interface RelayEndpoint {
  host: string;
  port: number;
}

/** Why a terminal could not be opened through the relay: no relay listens, or not one holding this engine's token. */
export class RelayNotServing extends Error {}

/**
 * Opens a terminal through the sandbox's relay. Rejects with RelayNotServing
 * when the relay must be (re)started, with an Error naming the relay's
 * reason otherwise.
 */
export async function openRelayedTty(endpoint: RelayEndpoint, request: RelayRequest): Promise<TtySession> {
  const socket = connect({ host: endpoint.host, port: endpoint.port, noDelay: true });
  try {
    const { answer, rest } = await readAnswer(socket, request);
    if (answer.kind === "unauthorized") throw new RelayNotServing("The terminal relay holds another engine's token.");
    if (answer.kind === "error") throw new Error(`The terminal could not be opened: ${answer.reason}`);
    return relayedSession(socket, rest);
  } catch (error) {
    socket.destroy();
    throw error;
  }
}

function readAnswer(socket: Socket, request: RelayRequest): Promise<{ answer: RelayAnswer; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => fail(new Error(`The terminal relay did not answer within ${ANSWER_TIMEOUT_MS} ms.`)), ANSWER_TIMEOUT_MS);
    const settle = () => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("error", onError);
      socket.off("end", onEnd);
      socket.pause();
    };
    const fail = (error: Error) => {
      settle();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf(0x0a);
      if (end < 0) {
        if (received.length > ANSWER_LIMIT_BYTES) fail(new Error("The terminal relay's answer is not a line."));
        return;
      }
      settle();
      resolve({ answer: parseAnswer(received.subarray(0, end).toString("utf8")), rest: received.subarray(end + 1) });
    };
    const onError = (error: NodeJS.ErrnoException) =>
      fail(error.code === "ECONNREFUSED" ? new RelayNotServing("No terminal relay listens in the sandbox.") : error);
    const onEnd = () => fail(new Error("The terminal relay closed the connection without an answer."));
    socket.on("data", onData);
    socket.on("error", onError);
    socket.on("end", onEnd);
    socket.write(requestLine(request));
  });
}

/** The pty's output as it comes, keystrokes framed as input, and resizes as their own frames. */
function relayedSession(socket: Socket, firstOutput: Buffer): TtySession {
  const stream = new Duplex({
    read: () => socket.resume(),
    write: (chunk: Buffer, _encoding, done) => socket.write(inputFrame(chunk), done),
    final: (done) => socket.end(done),
    destroy: (error, done) => {
      socket.destroy();
      done(error);
    },
  });
  if (firstOutput.length > 0) stream.push(firstOutput);
  socket.on("data", (chunk: Buffer) => {
    if (!stream.push(chunk)) socket.pause();
  });
  // The program ended (the relay closed) or the connection broke: either way no more output comes.
  let outputEnded = false;
  const endOutput = () => {
    if (outputEnded) return;
    outputEnded = true;
    stream.push(null);
  };
  socket.on("end", endOutput);
  socket.on("close", endOutput);
  socket.on("error", (error) => stream.destroy(error));
  let disposed = false;
  return {
    stream,
    resize: async (size: TtySize) => {
      if (!disposed) socket.write(resizeFrame(size));
    },
    dispose: () => {
      if (disposed) return;
      disposed = true;
      stream.destroy();
    },
  };
}
