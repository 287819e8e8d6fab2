import { randomBytes } from "node:crypto";

/** Letters and digits nobody confuses when read aloud or off a projector: no 0/O, no 1/I. 32 of them, so one byte's 5 bits pick one evenly. */
export const JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const JOIN_CODE_LENGTH = 6;

/** A seat's personal code to move it to another device: long enough not to be guessed, short enough to type. */
export const REJOIN_CODE_LENGTH = 10;

function codeOf(length: number, random: (size: number) => Uint8Array): string {
  return Array.from(random(length), (byte) => JOIN_CODE_ALPHABET[byte & 31]).join("");
}

export function newJoinCode(random: (size: number) => Uint8Array = randomBytes): string {
  return codeOf(JOIN_CODE_LENGTH, random);
}

export function newRejoinCode(random: (size: number) => Uint8Array = randomBytes): string {
  return codeOf(REJOIN_CODE_LENGTH, random);
}

/**
 * The code as a person typed it, made comparable: case, spaces and dashes do
 * not matter. Undefined when it cannot be a join code (wrong length, or a
 * character the alphabet leaves out).
 */
export function normaliseJoinCode(typed: string): string | undefined {
  return normalised(typed, JOIN_CODE_LENGTH);
}

/** A rejoin code as typed, made comparable (as a join code). */
export function normaliseRejoinCode(typed: string): string | undefined {
  return normalised(typed, REJOIN_CODE_LENGTH);
}

function normalised(typed: string, length: number): string | undefined {
  const code = typed.replace(/[\s-]/g, "").toUpperCase();
  if (code.length !== length) return undefined;
  return [...code].every((char) => JOIN_CODE_ALPHABET.includes(char)) ? code : undefined;
}
