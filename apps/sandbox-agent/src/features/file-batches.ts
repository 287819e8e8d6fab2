import { filesWriteManyRequestSchema } from "@drydock/protocol";
import { answer, RequestError } from "../reply";
import type { SandboxFeature } from "../sandbox-channel";

/**
 * files:write-many — several files in one exec instead of one each: how the
 * control plane puts a lesson's files and the learner's saved ones in place
 * before the first step. Writers only.
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
  return undefined;
};
