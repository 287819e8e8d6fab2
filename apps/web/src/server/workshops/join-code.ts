import { randomBytes } from "node:crypto";

/** Letters and digits nobody confuses when read aloud or off a projector: no 0/O, no 1/I. 32 of them, so one byte's 5 bits pick one evenly. */
export const JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const JOIN_CODE_LENGTH = 6;

export function newJoinCode(random: (size: number) => Uint8Array = randomBytes): string {
  return Array.from(random(JOIN_CODE_LENGTH), (byte) => JOIN_CODE_ALPHABET[byte & 31]).join("");
}

/**
 * The code as a person typed it, made comparable: case, spaces and dashes do
 * not matter. Undefined when it cannot be a join code (wrong length, or a
 * character the alphabet leaves out).
 */
export function normaliseJoinCode(typed: string): string | undefined {
  const code = typed.replace(/[\s-]/g, "").toUpperCase();
  if (code.length !== JOIN_CODE_LENGTH) return undefined;
  return [...code].every((char) => JOIN_CODE_ALPHABET.includes(char)) ? code : undefined;
}
