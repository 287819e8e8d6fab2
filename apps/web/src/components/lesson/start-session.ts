import type { SandboxStatus } from "@drydock/protocol";
import type { SessionRef } from "@/lesson-view/types";
import { markStartStep } from "../start-marks";

/**
 * Starts a session for a lesson, reporting the sandbox's progress as it
 * streams in; rejects with the reason it failed. `onAccepted` is called once
 * the server has taken the request, when the browser holds the visitor
 * cookie (set by this answer on a first visit) that sockets need.
 */
export async function startLessonSession(
  lessonId: string,
  onStatus: (status: SandboxStatus) => void,
  onAccepted: () => void = () => {},
): Promise<SessionRef> {
  let response: Response;
  markStartStep("start-requested");
  try {
    response = await fetch("/api/sessions", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/x-ndjson" },
      body: JSON.stringify({ lessonId }),
    });
  } catch {
    throw new Error("The server could not be reached. Check your connection and try again.");
  }
  markStartStep("start-answered");
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    throw new Error(body.error ?? `The server answered ${response.status}.`);
  }
  onAccepted();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
    let newline = buffered.indexOf("\n");
    while (newline !== -1) {
      const line = JSON.parse(buffered.slice(0, newline)) as { status?: SandboxStatus; session?: SessionRef; error?: string };
      buffered = buffered.slice(newline + 1);
      if (line.status) onStatus(line.status);
      if (line.session) {
        markStartStep("session-ready", { sessionId: line.session.id });
        void reader.cancel();
        return { id: line.session.id, expiresAt: line.session.expiresAt };
      }
      if (line.error) throw new Error(line.error);
      newline = buffered.indexOf("\n");
    }
  }
  throw new Error("The server stopped answering while the sandbox started. Try again.");
}

export async function endLessonSession(sessionId: string): Promise<void> {
  await fetch(`/api/sessions/${encodeURIComponent(sessionId)}`, { method: "DELETE" }).catch(() => {});
}
