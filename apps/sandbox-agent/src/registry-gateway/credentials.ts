import { createHmac, timingSafeEqual } from "node:crypto";
import { SANDBOX_REGISTRY } from "@drydock/engine";

/**
 * Learners' registry credentials, stateless: the user name is derived from
 * the sandbox's owner and the password from the user name, both with a key
 * only the agent holds. Nothing is stored, an agent restart changes nothing,
 * and the same owner gets the same namespace (and finds their images) in
 * every session. Rotating DRYDOCK_AGENT_SECRET rotates every password.
 */

const NAME_PREFIX = "learner";
/** Lowercase letters and digits only: a valid repository namespace and DNS label, 23 characters. */
const LEARNER_NAME = /^learner[0-9a-f]{16}$/;
const PASSWORD_LENGTH = 32;

/** A key of its own, so a registry password or token never passes as an agent token, nor the reverse. */
export function registryKey(agentSecret: string): Buffer {
  return createHmac("sha256", agentSecret).update("drydock registry credentials v1").digest();
}

export function keyedDigest(key: Buffer, purpose: string, value: string): Buffer {
  return createHmac("sha256", key).update(`${purpose}\0${value}`).digest();
}

/** The owner id is a bearer secret (the visitor cookie): it is hashed with the key, never shown. */
export function learnerName(key: Buffer, owner: string): string {
  return NAME_PREFIX + keyedDigest(key, "name", owner).toString("hex").slice(0, 16);
}

export function isLearnerName(name: string): boolean {
  return LEARNER_NAME.test(name);
}

export function learnerPassword(key: Buffer, name: string): string {
  return keyedDigest(key, "password", name).toString("base64url").slice(0, PASSWORD_LENGTH);
}

export function checkPassword(key: Buffer, name: string, password: string): boolean {
  if (!isLearnerName(name)) return false;
  const expected = Buffer.from(learnerPassword(key, name));
  const given = Buffer.from(password);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** What lessons use in the sandbox: `docker login $DRYDOCK_REGISTRY -u "$DRYDOCK_USER" --password-stdin <<<"$DRYDOCK_PASSWORD"`. */
export function registryEnvironment(key: Buffer, owner: string): Record<string, string> {
  const name = learnerName(key, owner);
  return {
    DRYDOCK_REGISTRY: `${SANDBOX_REGISTRY.host}:${SANDBOX_REGISTRY.port}`,
    DRYDOCK_USER: name,
    DRYDOCK_PASSWORD: learnerPassword(key, name),
  };
}
