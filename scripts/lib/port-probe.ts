import { createConnection } from "node:net";

/** Whether something accepts TCP connections on 127.0.0.1:<port> (a stopped service's port must not). */
export function portAnswers(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
