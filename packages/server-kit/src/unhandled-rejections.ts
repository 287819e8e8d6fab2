import type { Logger } from "./log";

/**
 * Logs a promise rejection that nothing handled, as `process.unhandled_rejection`,
 * instead of letting Node end the process: a web node or an agent serves a
 * room of learners, and a failure lost in some library's fire-and-forget call
 * (socket.io's Redis adapter had two) must not cut all their connections.
 * An uncaught exception still ends the process: the state it left may be broken.
 */
export function logUnhandledRejections(log: Logger): void {
  process.on("unhandledRejection", (reason) => {
    log.error("process.unhandled_rejection", {
      error: reason,
      hint: "A bug: some code let this failure go unhandled. The process carries on; report it with this line.",
    });
  });
}
