/**
 * Everything the engine creates carries these labels, so it can find its own
 * objects again after a restart and never touches anything else.
 */
export const LABEL = {
  managed: "io.drydock.managed",
  role: "io.drydock.role",
  sandboxId: "io.drydock.sandbox-id",
  owner: "io.drydock.owner",
  expiresAt: "io.drydock.expires-at",
  /** Set while an owned sandbox is paused: when it was frozen (its time stops meanwhile). */
  pausedAt: "io.drydock.paused-at",
  /** "off" for a sandbox that is never removed for being idle (a workshop seat through a lecture). */
  idleLimit: "io.drydock.idle-limit",
  /** Which agent manages the sandbox: several may share one engine (tests, a lesson runner). */
  fleet: "io.drydock.fleet",
  /** The learner's workspace, when not the default (/root/lab): where shells start, checks run and the files API is rooted. */
  workspace: "io.drydock.workspace",
  /** The first host uid of a rootless sandbox's own range (uid-ranges.ts). */
  uidBase: "io.drydock.uid-base",
} as const;

export const SANDBOX_ROLE = "sandbox";

/** Labels of a sandbox's container and data volume: its identity only; who it belongs to is its Assignment. */
export function sandboxLabels(sandboxId: string, fleet: string): Record<string, string> {
  return {
    [LABEL.managed]: "true",
    [LABEL.role]: SANDBOX_ROLE,
    [LABEL.sandboxId]: sandboxId,
    [LABEL.fleet]: fleet,
  };
}

/** A Docker API filter that selects this engine's sandboxes (containers or volumes). */
export function sandboxFilter(selection: { sandboxId?: string; fleet?: string } = {}): { label: string[] } {
  const label = [`${LABEL.managed}=true`, `${LABEL.role}=${SANDBOX_ROLE}`];
  if (selection.sandboxId) label.push(`${LABEL.sandboxId}=${selection.sandboxId}`);
  if (selection.fleet) label.push(`${LABEL.fleet}=${selection.fleet}`);
  return { label };
}
