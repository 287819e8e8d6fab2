import { type Disposable, EngineError, toDisposable } from "@drydock/engine";
import { type PortInfo, portsRequestSchema } from "@drydock/protocol";
import { answer, RequestError } from "../reply";
import type { SandboxFeature } from "../sandbox-channel";

function checkRequest(request: unknown): void {
  const parsed = portsRequestSchema.safeParse(request);
  if (!parsed.success) throw new RequestError("Invalid ports request.", "Send an empty object: ports requests take no parameters.");
}

/**
 * ports:list, ports:watch, ports:unwatch — the ports listening in the
 * sandbox. Watchers may use them too: they only read. While a socket watches,
 * the engine polls the sandbox (shared with every other watcher of it) and
 * each change is pushed as ports:changed.
 */
export const ports: SandboxFeature = (socket, { driver, log }) => {
  const { sandboxId } = socket.data;
  let watching: Disposable | undefined;
  const stopWatching = () => {
    watching?.dispose();
    watching = undefined;
  };

  socket.on("ports:list", (request, ack) =>
    answer(ack, log, "ports:list", async () => {
      checkRequest(request);
      return driver.listPorts(sandboxId);
    }),
  );

  socket.on("ports:watch", (request, ack) =>
    answer(ack, log, "ports:watch", async () => {
      checkRequest(request);
      stopWatching();
      return new Promise<PortInfo[]>((resolve, reject) => {
        let first = true;
        let failing = false;
        const watch = driver.watchPorts(sandboxId, {
          onChange: (change) => {
            failing = false;
            if (!first) return socket.emit("ports:changed", change);
            first = false;
            resolve(change.ports);
          },
          onError: (error) => {
            if (first) {
              first = false;
              watch.dispose();
              if (watching === watch) watching = undefined;
              return reject(error);
            }
            if (error instanceof EngineError && error.code === "sandbox-not-found") {
              log.info("ports.watch_ended", { sandboxId, reason: error.message });
              return stopWatching();
            }
            // One line per run of failures, not one a second.
            if (!failing) log.warn("ports.scan_failed", { sandboxId, error });
            failing = true;
          },
        });
        watching = watch;
      });
    }),
  );

  socket.on("ports:unwatch", (request, ack) =>
    answer(ack, log, "ports:unwatch", async () => {
      checkRequest(request);
      stopWatching();
      return null;
    }),
  );

  return toDisposable(stopWatching);
};
