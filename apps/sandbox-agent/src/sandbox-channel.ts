import { type Disposable, DisposableStore, type SandboxDriver } from "@drydock/engine";
import { SANDBOX_NAMESPACE, type SandboxClientEvents, type SandboxServerEvents } from "@drydock/protocol";
import type { Logger } from "@drydock/server-kit";
import type { Namespace, Server, Socket } from "socket.io";
import type { SandboxFleet } from "./fleet";
import type { SandboxAccess } from "./socket-auth";
import { requireSandboxToken } from "./socket-auth";

export type SandboxSocket = Socket<SandboxClientEvents, SandboxServerEvents, Record<string, never>, SandboxAccess>;

export interface SandboxFeatureDeps {
  driver: SandboxDriver;
  fleet: SandboxFleet;
  log: Logger;
}

/** A capability offered on the sandbox channel; returns what it holds for the socket, disposed when the socket goes. */
export type SandboxFeature = (socket: SandboxSocket, deps: SandboxFeatureDeps) => Disposable | undefined;

/** The /sandbox namespace: token-checked, then each feature registers its handlers on the socket. */
export function serveSandboxChannel(io: Server, deps: SandboxFeatureDeps & { secret: string }, features: SandboxFeature[]): Namespace {
  const namespace = io.of(SANDBOX_NAMESPACE) as unknown as Namespace<
    SandboxClientEvents,
    SandboxServerEvents,
    Record<string, never>,
    SandboxAccess
  >;
  namespace.use(requireSandboxToken(deps.secret, deps.log));
  namespace.on("connection", (socket) => {
    const held = new DisposableStore();
    for (const feature of features) {
      const disposable = feature(socket, deps);
      if (disposable) held.add(disposable);
    }
    socket.on("disconnect", () => held.dispose());
  });
  return namespace as unknown as Namespace;
}
