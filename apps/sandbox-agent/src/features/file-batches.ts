import { filesPlaceRequestSchema, filesWriteManyRequestSchema } from "@drydock/protocol";
import { answer, RequestError } from "../reply";
import type { SandboxFeature } from "../sandbox-channel";

/**
 * files:write-many — several files in one exec instead of one each: how the
 * control plane puts a lesson's files and the learner's saved ones in place
 * before the first step. files:place — a lesson's files outside the
 * workspace, placed by the engine. Writers only; the web gateway relays
 * neither from browsers.
 */
export const fileBatches: SandboxFeature = (socket, { driver, fleet, log }) => {
  socket.on("files:write-many", (request, ack) =>
    answer(ack, log, "files:write-many", async () => {
      if (!socket.data.canWrite) throw new RequestError("Watchers cannot change files.", "Only the sandbox's owner can edit its files.");
      const parsed = filesWriteManyRequestSchema.safeParse(request);
      if (!parsed.success) {
        throw new RequestError("Invalid files:write-many request.", parsed.error.issues.map((issue) => issue.message).join("; "));
      }
      fleet.touch(socket.data.sandboxId);
      await driver.files(socket.data.sandboxId).writeMany(parsed.data.files);
      return null;
    }),
  );
  socket.on("files:place", (request, ack) =>
    answer(ack, log, "files:place", async () => {
      if (!socket.data.canWrite) throw new RequestError("Watchers cannot change files.", "Only the sandbox's owner can edit its files.");
      const parsed = filesPlaceRequestSchema.safeParse(request);
      if (!parsed.success) {
        throw new RequestError("Invalid files:place request.", parsed.error.issues.map((issue) => issue.message).join("; "));
      }
      fleet.touch(socket.data.sandboxId);
      const files = parsed.data.files.map(({ path, content, mode }) => ({
        path,
        content: Buffer.from(content, "base64"),
        ...(mode !== undefined ? { mode } : {}),
      }));
      await driver.placeFiles(socket.data.sandboxId, files);
      return null;
    }),
  );
  return undefined;
};
