import type Docker from "dockerode";
import { isNotFound } from "./errors";
import { LABEL } from "./labels";

/**
 * Who a sandbox belongs to, until when, and the environment its processes get.
 * Docker labels cannot change on a running container, and a pooled sandbox
 * is created before anyone claims it, so the assignment is kept in the
 * engine's own state as the labels of a small volume beside the sandbox:
 * found again after an agent restart, and out of the learner's reach.
 */
export interface Assignment {
  owner: string;
  expiresAt: Date;
  env: Record<string, string>;
  /** false: never removed for being idle, only at `expiresAt`. */
  idleLimit?: false;
  /** While paused (frozen): since when. The time until `expiresAt` does not run meanwhile. */
  pausedAt?: Date;
  /** The lesson's workspace when not the default (/root/lab): shells start there, checks run there, the files API is rooted there. */
  workspace?: string;
}

const ROLE = "sandbox-assignment";
const ENV_PREFIX = "io.drydock.env.";

export function assignmentVolumeName(sandboxId: string): string {
  return `drydock-${sandboxId.replace("_", "-")}-assignment`;
}

export async function saveAssignment(docker: Docker, sandboxId: string, assignment: Assignment): Promise<void> {
  const labels: Record<string, string> = {
    [LABEL.managed]: "true",
    [LABEL.role]: ROLE,
    [LABEL.sandboxId]: sandboxId,
    [LABEL.owner]: assignment.owner,
    [LABEL.expiresAt]: assignment.expiresAt.toISOString(),
  };
  if (assignment.idleLimit === false) labels[LABEL.idleLimit] = "off";
  if (assignment.pausedAt) labels[LABEL.pausedAt] = assignment.pausedAt.toISOString();
  if (assignment.workspace) labels[LABEL.workspace] = assignment.workspace;
  for (const [name, value] of Object.entries(assignment.env)) labels[`${ENV_PREFIX}${name}`] = value;
  // A volume's labels are fixed too: a new assignment replaces the volume.
  await removeAssignment(docker, sandboxId);
  await docker.createVolume({ Name: assignmentVolumeName(sandboxId), Labels: labels });
}

export async function removeAssignment(docker: Docker, sandboxId: string): Promise<void> {
  await docker
    .getVolume(assignmentVolumeName(sandboxId))
    .remove()
    .catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
    });
}

/** Every assignment the engine knows, by sandbox id. */
export async function loadAssignments(docker: Docker): Promise<Map<string, Assignment>> {
  const { Volumes } = await docker.listVolumes({ filters: { label: [`${LABEL.managed}=true`, `${LABEL.role}=${ROLE}`] } });
  const assignments = new Map<string, Assignment>();
  for (const volume of Volumes ?? []) {
    const labels = volume.Labels ?? {};
    const sandboxId = labels[LABEL.sandboxId];
    const owner = labels[LABEL.owner];
    if (!sandboxId || !owner) continue;
    const pausedAt = labels[LABEL.pausedAt];
    const workspace = labels[LABEL.workspace];
    assignments.set(sandboxId, {
      owner,
      expiresAt: new Date(labels[LABEL.expiresAt] ?? 0),
      env: envFromLabels(labels),
      ...(labels[LABEL.idleLimit] === "off" ? { idleLimit: false as const } : {}),
      ...(pausedAt ? { pausedAt: new Date(pausedAt) } : {}),
      ...(workspace ? { workspace } : {}),
    });
  }
  return assignments;
}

function envFromLabels(labels: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels)) {
    if (name.startsWith(ENV_PREFIX)) env[name.slice(ENV_PREFIX.length)] = value;
  }
  return env;
}
