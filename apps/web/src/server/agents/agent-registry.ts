import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { type AgentHeartbeat, type AgentHeartbeatAnswer, agentHeartbeatSchema, agentTunnelUrl } from "@drydock/protocol";
import type { Database } from "../db";
import { HttpError } from "../http/http-error";

/** An agent's name: the operator's name for the machine, also the credential's first part. */
const AGENT_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

const hashCredential = (credential: string) => createHash("sha256").update(credential).digest();

/** Compared against when the credential names no agent, so an unknown name costs the same time as a wrong secret. */
const DECOY_HASH = hashCredential("decoy");

export interface AgentRow {
  name: string;
  state: string;
  revoked: boolean;
  publicUrl: string | null;
  labels: Record<string, string>;
  lastHeartbeatAt: Date | null;
  sandboxes: number;
  placed: number;
  maxSandboxes: number;
  readySeats: number;
  freeMemoryBytes: number;
}

function checkName(name: string): string {
  if (!AGENT_NAME.test(name)) {
    throw new HttpError(`"${name}" is not an agent name: use 1 to 40 lowercase letters, digits and dashes, like sandbox-host-1.`, 400);
  }
  return name;
}

/**
 * Issues the credential of a machine's agent: `<name>.<secret>`, shown once;
 * the database keeps only its SHA-256. A revoked agent's name gets a new one;
 * a name whose credential is in use is refused (409).
 */
export async function issueAgent(db: Database, requestedName: string): Promise<{ name: string; credential: string }> {
  const name = checkName(requestedName);
  const credential = `${name}.${randomBytes(32).toString("base64url")}`;
  const credentialHash = hashCredential(credential).toString("hex");
  const existing = await db.agent.findUnique({ where: { name } });
  if (existing && !existing.revokedAt) {
    throw new HttpError(
      `The agent "${name}" already has a credential. Revoke it first (revoke-agent --name ${name}) to issue a new one.`,
      409,
    );
  }
  if (existing) {
    await db.agent.update({ where: { name }, data: { credentialHash, revokedAt: null, state: "down" } });
  } else {
    await db.agent.create({ data: { id: `agt_${randomBytes(12).toString("hex")}`, name, credentialHash } });
  }
  return { name, credential };
}

/** Revokes an agent's credential: its heartbeats are refused from now on and it counts as down (its learners are told). */
export async function revokeAgent(db: Database, requestedName: string): Promise<void> {
  const name = checkName(requestedName);
  const revoked = await db.agent.updateMany({ where: { name, revokedAt: null }, data: { revokedAt: new Date(), state: "down" } });
  if (revoked.count === 0) {
    const exists = await db.agent.findUnique({ where: { name } });
    throw new HttpError(
      exists ? `The agent "${name}" is revoked already.` : `There is no agent "${name}". list-agents shows the registered ones.`,
      404,
    );
  }
}

export async function listAgents(db: Database): Promise<AgentRow[]> {
  const agents = await db.agent.findMany({ orderBy: { name: "asc" } });
  return agents.map((agent) => ({
    name: agent.name,
    state: agent.state,
    revoked: agent.revokedAt !== null,
    publicUrl: agent.publicUrl,
    labels: JSON.parse(agent.labels) as Record<string, string>,
    lastHeartbeatAt: agent.lastHeartbeatAt,
    sandboxes: agent.sandboxes,
    placed: agent.placed,
    maxSandboxes: agent.maxSandboxes,
    readySeats: agent.readySeats,
    freeMemoryBytes: Number(agent.freeMemoryBytes),
  }));
}

/** The agent a bearer credential belongs to, checked in constant time; a 401 that says what to do otherwise. */
export async function authenticate(
  db: Database,
  authorization: string | null,
): Promise<{ id: string; name: string; state: string; lastHeartbeatAt: Date | null }> {
  const credential = authorization?.match(/^Bearer (\S+)$/)?.[1];
  if (!credential) {
    throw new HttpError(
      "An agent's heartbeat or tunnel needs `Authorization: Bearer <credential>`. Issue one with npm run admin -- issue-agent --name NAME and give it to the agent as DRYDOCK_AGENT_CREDENTIAL.",
      401,
    );
  }
  const name = credential.slice(0, Math.max(0, credential.indexOf(".")));
  const agent = AGENT_NAME.test(name) ? await db.agent.findUnique({ where: { name } }) : null;
  const expected = agent ? Buffer.from(agent.credentialHash, "hex") : DECOY_HASH;
  const matches = timingSafeEqual(hashCredential(credential), expected) && agent !== null;
  if (!agent || !matches) {
    throw new HttpError(
      "This agent credential is not valid. Issue a new one with npm run admin -- issue-agent --name NAME and restart the agent with it.",
      401,
    );
  }
  if (agent.revokedAt) {
    throw new HttpError(
      `The credential of agent "${agent.name}" was revoked at ${agent.revokedAt.toISOString()}. Issue a new one with npm run admin -- issue-agent --name ${agent.name}.`,
      401,
    );
  }
  return agent;
}

/** Parses a heartbeat's body; a bad one is refused (400) naming what is wrong, never half-recorded. */
function parseHeartbeat(body: unknown): AgentHeartbeat {
  const parsed = agentHeartbeatSchema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ");
    throw new HttpError(`The heartbeat is not valid (${problems}). Agent and web app must be of the same Drydock version.`, 400);
  }
  return parsed.data;
}

/** An accepted heartbeat; `cameBack`: the agent had been marked down (its learners were moved), and now reports again. */
export interface AcceptedHeartbeat extends AgentHeartbeatAnswer {
  publicUrl: string;
  cameBack: boolean;
}

/** Records an agent's report: it is up, reachable at publicUrl (or through its tunnels), with this capacity. */
export async function acceptHeartbeat(db: Database, authorization: string | null, body: unknown): Promise<AcceptedHeartbeat> {
  const agent = await authenticate(db, authorization);
  const heartbeat = parseHeartbeat(body);
  const { capacity } = heartbeat;
  const publicUrl = heartbeat.publicUrl?.replace(/\/+$/, "") ?? agentTunnelUrl(agent.id);
  await db.agent.update({
    where: { id: agent.id },
    data: {
      state: "up",
      lastHeartbeatAt: new Date(),
      publicUrl,
      labels: JSON.stringify(heartbeat.labels),
      freeMemoryBytes: BigInt(capacity.freeMemoryBytes),
      cpus: capacity.cpus,
      load: capacity.load,
      sandboxes: capacity.sandboxes,
      readySeats: capacity.readySeats,
      maxSandboxes: capacity.maxSandboxes,
    },
  });
  return { agentId: agent.id, name: agent.name, publicUrl, cameBack: agent.state === "down" && agent.lastHeartbeatAt !== null };
}
