import { type ImageWatch, toDisposable } from "@drydock/engine";
import { imagesRequestSchema } from "@drydock/protocol";
import { answer, RequestError } from "../reply";
import type { SandboxFeature } from "../sandbox-channel";

function checkRequest(request: unknown): void {
  if (!imagesRequestSchema.safeParse(request).success) {
    throw new RequestError("Invalid images request.", "Send an empty object: images requests take no parameters.");
  }
}

/**
 * images:list, images:watch, images:unwatch — the images in the sandbox's own
 * engine as stacks of layers, for the Images panel. Watchers may use them too:
 * they only read. While a socket watches, the engine follows the sandbox's
 * image events and each change is pushed as images:changed.
 */
export const images: SandboxFeature = (socket, { driver, log }) => {
  const { sandboxId } = socket.data;
  let watching: ImageWatch | undefined;
  const stopWatching = () => {
    watching?.dispose();
    watching = undefined;
  };

  socket.on("images:list", (request, ack) =>
    answer(ack, log, "images:list", async () => {
      checkRequest(request);
      return driver.listImages(sandboxId);
    }),
  );

  socket.on("images:watch", (request, ack) =>
    answer(ack, log, "images:watch", async () => {
      checkRequest(request);
      stopWatching();
      let failing = false;
      const watch = driver.watchImages(sandboxId, {
        onChange: (snapshot) => {
          failing = false;
          socket.emit("images:changed", snapshot);
        },
        onError: (error) => {
          // One line per run of failures, not one per retry.
          if (!failing) log.warn("images.watch_problem", { sandboxId, error });
          failing = true;
        },
      });
      watching = watch;
      try {
        return await watch.ready;
      } catch (error) {
        if (watching === watch) watching = undefined;
        throw error;
      }
    }),
  );

  socket.on("images:unwatch", (request, ack) =>
    answer(ack, log, "images:unwatch", async () => {
      checkRequest(request);
      stopWatching();
      return null;
    }),
  );

  return toDisposable(stopWatching);
};
