import { Manager } from "socket.io-client";

let spare: Manager | undefined;

/**
 * Opens a connection to the web server ahead of need, while a start runs:
 * once the session is ready, attaching the terminal then costs one message
 * instead of a WebSocket handshake first. Only once the browser holds the
 * visitor cookie: the handshake carries it, and the server checks it.
 */
export function openTerminalConnection(): void {
  // One per start: an earlier one may lack the cookie that this start's answer set.
  dropTerminalConnection();
  // Not reconnecting while spare: a server that closes an idle connection means it.
  spare = connect({ reconnect: false });
}

/** Closes the connection opened ahead, unused: its start failed. */
export function dropTerminalConnection(): void {
  spare?._close();
  spare = undefined;
}

/**
 * The connection opened ahead, or a new one. Each terminal gets its own: its
 * namespace's socket keeps the auth it was made with, and disconnecting it
 * closes the connection.
 */
export function takeTerminalConnection(): Manager {
  // A terminal's connection comes back after a network drop (and opens again if the server closed it while spare).
  const manager = spare?.reconnection(true) ?? connect({ reconnect: true });
  spare = undefined;
  return manager;
}

function connect({ reconnect }: { reconnect: boolean }): Manager {
  return new Manager({ transports: ["websocket"], reconnection: reconnect });
}
