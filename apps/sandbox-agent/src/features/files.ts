import { FileConflictError, toDisposable } from "@drydock/engine";
import {
  type FileWriteResult,
  filesCreateRequestSchema,
  filesDeleteRequestSchema,
  filesListRequestSchema,
  filesReadRequestSchema,
  filesRenameRequestSchema,
  filesWatchRequestSchema,
  filesWriteRequestSchema,
} from "@drydock/protocol";
import type { z } from "zod";
import { answer, RequestError } from "../reply";
import type { SandboxFeature } from "../sandbox-channel";
import { type FileWatchSubscription, SharedFileWatches } from "./file-watches";

function parse<T>(schema: z.ZodType<T>, request: unknown, event: string): T {
  const parsed = schema.safeParse(request);
  if (!parsed.success) throw new RequestError(`Invalid ${event} request.`, parsed.error.issues.map((issue) => issue.message).join("; "));
  return parsed.data;
}

/**
 * files:list, files:read, files:write, files:create, files:rename,
 * files:delete, files:watch, files:unwatch — the workspace's files for the
 * editor. Watchers (read tokens) may list, read and watch, not change.
 * Watching is shared per sandbox across the agent's sockets, hence a factory:
 * one registry per agent.
 */
export function files(): SandboxFeature {
  let watches: SharedFileWatches | undefined;
  return (socket, { driver, fleet, log }) => {
    watches ??= new SharedFileWatches(driver, log);
    const shared = watches;
    const { sandboxId } = socket.data;
    const workspace = driver.files(sandboxId);
    let subscription: FileWatchSubscription | undefined;
    const unwatch = () => {
      subscription?.dispose();
      subscription = undefined;
    };
    const requireWriter = () => {
      if (!socket.data.canWrite) throw new RequestError("Watchers cannot change files.", "Only the sandbox's owner can edit its files.");
      // Editing is activity: it keeps the sandbox from being stopped as idle.
      fleet.touch(sandboxId);
    };

    socket.on("files:list", (request, ack) =>
      answer(ack, log, "files:list", async () => workspace.list(parse(filesListRequestSchema, request, "files:list").dir)),
    );

    socket.on("files:read", (request, ack) =>
      answer(ack, log, "files:read", async () => workspace.read(parse(filesReadRequestSchema, request, "files:read").path)),
    );

    socket.on("files:write", (request, ack) =>
      answer(ack, log, "files:write", async (): Promise<FileWriteResult> => {
        requireWriter();
        const { path, content, ifMatch } = parse(filesWriteRequestSchema, request, "files:write");
        try {
          return { status: "written", file: await workspace.write(path, content, ifMatch ? { ifMatch } : {}) };
        } catch (error) {
          // Expected, not a failure: the editor offers to reload or overwrite.
          if (error instanceof FileConflictError) return { status: "conflict", message: error.message, current: error.current ?? null };
          throw error;
        }
      }),
    );

    socket.on("files:create", (request, ack) =>
      answer(ack, log, "files:create", async () => {
        requireWriter();
        const { path, kind } = parse(filesCreateRequestSchema, request, "files:create");
        return workspace.create(path, kind);
      }),
    );

    socket.on("files:rename", (request, ack) =>
      answer(ack, log, "files:rename", async () => {
        requireWriter();
        const { from, to } = parse(filesRenameRequestSchema, request, "files:rename");
        await workspace.rename(from, to);
        return null;
      }),
    );

    socket.on("files:delete", (request, ack) =>
      answer(ack, log, "files:delete", async () => {
        requireWriter();
        await workspace.remove(parse(filesDeleteRequestSchema, request, "files:delete").path);
        return null;
      }),
    );

    socket.on("files:watch", (request, ack) =>
      answer(ack, log, "files:watch", async () => {
        parse(filesWatchRequestSchema, request, "files:watch");
        subscription ??= shared.subscribe(sandboxId, (changes) => socket.emit("files:changed", { changes }));
        const current = subscription;
        try {
          return { mode: await current.ready };
        } catch (error) {
          if (subscription !== current) throw new RequestError("Watching was stopped before it had started.");
          unwatch();
          throw error;
        }
      }),
    );

    socket.on("files:unwatch", (request, ack) =>
      answer(ack, log, "files:unwatch", async () => {
        parse(filesWatchRequestSchema, request, "files:unwatch");
        unwatch();
        return null;
      }),
    );

    return toDisposable(unwatch);
  };
}
