import { checkRequestSchema } from "@drydock/protocol";
import { answer, RequestError } from "../reply";
import type { SandboxFeature } from "../sandbox-channel";

/** check:run — run a lesson check in the sandbox (writers only: a check may change nothing, but it costs CPU). */
export const checks: SandboxFeature = (socket, { driver, fleet, log }) => {
  socket.on("check:run", (request, ack) =>
    answer(ack, log, "check:run", async () => {
      if (!socket.data.canWrite) throw new RequestError("Watchers cannot run checks.");
      const parsed = checkRequestSchema.safeParse(request);
      if (!parsed.success) throw new RequestError("Invalid check request.", parsed.error.issues.map((issue) => issue.message).join("; "));
      const { script, timeoutMs } = parsed.data;
      fleet.touch(socket.data.sandboxId);
      return driver.runCheck(socket.data.sandboxId, script, timeoutMs ? { timeoutMs } : {});
    }),
  );
  return undefined;
};
