import type { Http2Session } from "node:http2";

export interface LivenessOptions {
  /** How often to ping the other end. */
  intervalMs: number;
  /** A ping unanswered for this long ends the session. */
  timeoutMs: number;
}

/**
 * Pings the other end of an HTTP/2 session and destroys the session when a
 * ping goes unanswered: a peer that vanished without closing its TCP
 * connection (a machine switched off, a network cut) is noticed in
 * `timeoutMs`, not after the kernel's TCP timeouts (minutes).
 */
export function keepSessionAlive(session: Http2Session, { intervalMs, timeoutMs }: LivenessOptions): void {
  let waiting: NodeJS.Timeout | undefined;
  const lost = () => session.destroy(new Error(`The tunnel's other end did not answer a ping within ${timeoutMs} ms.`));
  const pinger = setInterval(() => {
    if (waiting || session.destroyed) return;
    waiting = setTimeout(lost, timeoutMs);
    const sent = session.ping((error) => {
      clearTimeout(waiting);
      waiting = undefined;
      if (error && !session.destroyed) session.destroy(error);
    });
    if (!sent) lost();
  }, intervalMs);
  pinger.unref();
  session.once("close", () => {
    clearInterval(pinger);
    clearTimeout(waiting);
  });
}
