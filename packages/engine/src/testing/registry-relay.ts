import { createServer, type Socket, connect as tcpConnect } from "node:net";
import { SANDBOX_REGISTRY } from "../network";

/**
 * A plain TCP relay from a test network's gateway address to the host's
 * registry, so an engine test's sandboxes can pull without the agent's
 * registry gateway (which decides who may push where; the engine does not care).
 */
export async function startRegistryRelay(address: string, upstreamPort: number): Promise<{ close(): Promise<void> }> {
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = tcpConnect(upstreamPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(SANDBOX_REGISTRY.port, address, resolve);
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The sandboxes' engines keep idle connections open, which would hold close() forever.
        for (const socket of open) socket.destroy();
      }),
  };
}
