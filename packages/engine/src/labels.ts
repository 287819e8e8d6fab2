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
} as const;

export const SANDBOX_ROLE = "sandbox";

export function sandboxLabels(sandboxId: string, owner: string, expiresAt: Date): Record<string, string> {
  return {
    [LABEL.managed]: "true",
    [LABEL.role]: SANDBOX_ROLE,
    [LABEL.sandboxId]: sandboxId,
    [LABEL.owner]: owner,
    [LABEL.expiresAt]: expiresAt.toISOString(),
  };
}

/** A Docker API filter that selects this engine's sandboxes (containers or volumes). */
export function sandboxFilter(sandboxId?: string): { label: string[] } {
  const label = [`${LABEL.managed}=true`, `${LABEL.role}=${SANDBOX_ROLE}`];
  if (sandboxId) label.push(`${LABEL.sandboxId}=${sandboxId}`);
  return { label };
}
