import type { Lesson } from "@drydock/lessons";
import { type CheckRequest, contentBytes, type FileToWrite, MAX_BATCH_BYTES, MAX_BATCH_FILES } from "@drydock/protocol";
import type { AgentClient } from "../agents/agent-client";
import { openSandboxChannel, requestOnChannel } from "../agents/sandbox-channel-client";
import type { WebContext } from "../context";
import { HttpError } from "../http/http-error";
import { lessonFiles } from "../lessons/lesson-files";
import { savedFiles } from "./saved-files";

/** What a fresh sandbox needs before a lesson's first step. */
export interface WorkspacePlan {
  /** The lesson's own files first, then the learner's saved ones over them (a fresh sandbox resumes where they were). */
  files: FileToWrite[];
  /** The lesson's files outside the workspace (absolute paths, base64), placed by the engine before the setups. */
  placements: FileToWrite[];
  /** The intro's setup scripts, run in order once the files are in place (a step's run when the step is opened: step-setup.ts). */
  setups: CheckRequest[];
}

/** Reads what goes into a lesson's workspace; needs no sandbox, so it can run while one is handed out. */
export async function planWorkspace(ctx: WebContext, lesson: Lesson, visitorId: string): Promise<WorkspacePlan> {
  const [own, saved] = await Promise.all([lessonFiles(lesson), savedFiles(ctx.db, visitorId, lesson.id)]);
  const setups = lesson.intro.parts.flatMap((part) =>
    part.kind === "setup" ? [{ script: part.script, timeoutMs: part.timeoutSeconds * 1000 }] : [],
  );
  return { files: [...own.inWorkspace, ...saved], placements: own.elsewhere, setups };
}

/**
 * The files in as few files:write-many requests as the channel's limits
 * allow, in their order. A file too large for any batch travels alone: the
 * agent refuses it with the reason.
 */
export function batchFiles(files: readonly FileToWrite[]): FileToWrite[][] {
  const batches: FileToWrite[][] = [];
  let current: FileToWrite[] = [];
  let bytes = 0;
  for (const file of files) {
    const size = contentBytes(file);
    if (current.length > 0 && (current.length === MAX_BATCH_FILES || bytes + size > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(file);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Puts the plan in place in a sandbox over one channel: the files in batches
 * (one exec each, not one per file), the files outside the workspace, then
 * each setup script; a failure
 * throws with the agent's reason.
 */
export async function prepareWorkspace(client: AgentClient, sandboxId: string, plan: WorkspacePlan): Promise<void> {
  if (plan.files.length === 0 && plan.placements.length === 0 && plan.setups.length === 0) return;
  const channel = openSandboxChannel(client, sandboxId, "write");
  try {
    for (const files of batchFiles(plan.files)) await requestOnChannel(channel, "files:write-many", { files });
    for (const files of batchFiles(plan.placements)) {
      const placed = files.map(({ path, content, mode }) => ({ path, content, ...(mode !== undefined ? { mode } : {}) }));
      await requestOnChannel(channel, "files:place", { files: placed });
    }
    for (const setup of plan.setups) {
      const outcome = await requestOnChannel(channel, "check:run", setup, (setup.timeoutMs ?? 30_000) + 10_000);
      if (!outcome.passed) throw new HttpError(`The lesson's setup script failed: ${outcome.message}`, 500);
    }
  } finally {
    channel.close();
  }
}
