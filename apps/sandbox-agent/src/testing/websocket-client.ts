import { createHash, randomBytes } from "node:crypto";
import { connect } from "node:net";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export interface WebSocketExchange {
  status: number;
  /** Whether Sec-WebSocket-Accept answers our key (only meaningful for 101). */
  accepted: boolean;
  /** Text frames received, in order. */
  replies: string[];
  /** The body of a refusal (anything but 101). */
  body: string;
}

/**
 * A WebSocket client on a raw socket, so a test sees the upgrade exactly as a
 * proxy relays it: sends each message as a masked text frame and collects as
 * many text replies. Small messages only (under 126 bytes).
 */
export function websocketExchange(
  url: string,
  headers: Record<string, string>,
  messages: string[],
  timeoutMs = 10_000,
): Promise<WebSocketExchange> {
  const { hostname, port, pathname, search } = new URL(url);
  const key = randomBytes(16).toString("base64");
  const expectedAccept = createHash("sha1").update(`${key}${GUID}`).digest("base64");
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete WebSocket exchange within ${timeoutMs} ms`));
    }, timeoutMs);
    let buffered = Buffer.alloc(0);
    let head: { status: number; accepted: boolean } | undefined;
    const replies: string[] = [];
    const finish = (result: WebSocketExchange) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };

    socket.on("connect", () => {
      const lines = [
        `GET ${pathname}${search} HTTP/1.1`,
        `Host: ${hostname}:${port}`,
        "Upgrade: websocket",
        "Connection: Upgrade",
        `Sec-WebSocket-Key: ${key}`,
        "Sec-WebSocket-Version: 13",
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      ];
      socket.write(`${lines.join("\r\n")}\r\n\r\n`);
    });
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (!head) {
        const end = buffered.indexOf("\r\n\r\n");
        if (end < 0) return;
        const text = buffered.subarray(0, end).toString("latin1");
        buffered = buffered.subarray(end + 4);
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
        const accept = /^sec-websocket-accept:\s*(\S+)/im.exec(text)?.[1];
        head = { status, accepted: accept === expectedAccept };
        if (status !== 101) return;
        for (const message of messages) socket.write(maskedTextFrame(message));
      }
      if (head.status !== 101) return;
      while (buffered.length >= 2 && buffered.length >= 2 + ((buffered[1] ?? 0) & 0x7f)) {
        const length = (buffered[1] ?? 0) & 0x7f;
        replies.push(buffered.subarray(2, 2 + length).toString("utf8"));
        buffered = buffered.subarray(2 + length);
      }
      if (replies.length >= messages.length) finish({ ...head, replies, body: "" });
    });
    socket.on("end", () => {
      if (head) finish({ ...head, replies, body: buffered.toString("utf8") });
      else reject(new Error("the connection closed before any answer"));
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text, "utf8");
  if (payload.length >= 126) throw new Error("websocketExchange sends small messages only");
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, index) => byte ^ (mask[index % 4] ?? 0)));
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]);
}
