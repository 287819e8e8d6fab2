import type { SandboxStatus } from "@drydock/protocol";
import type { SandboxFleet } from "../fleet";
import type { SandboxFeature } from "../sandbox-channel";

/** sandbox:status — the current status on connect, then every change, for this socket's sandbox. */
export function lifecycle(fleet: SandboxFleet): SandboxFeature {
  return (socket) => {
    const { sandboxId } = socket.data;
    const current = fleet.status(sandboxId);
    if (current) socket.emit("sandbox:status", current);
    return fleet.onStatus((status: SandboxStatus) => {
      if (status.sandboxId === sandboxId) socket.emit("sandbox:status", status);
    });
  };
}
