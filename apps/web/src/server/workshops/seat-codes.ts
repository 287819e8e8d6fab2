import { randomBytes, randomInt } from "node:crypto";

/** Letters and digits nobody misreads aloud or on a projector: no 0/O, 1/I/L. */
export const UNAMBIGUOUS_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

export function randomCode(length: number): string {
  let code = "";
  for (let index = 0; index < length; index += 1) code += UNAMBIGUOUS_ALPHABET[randomInt(UNAMBIGUOUS_ALPHABET.length)];
  return code;
}

/** A code as typed ("k7q m-p2"): case, spaces and dashes do not matter. */
export function normalizeCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, "");
}

export function newSeatId(): string {
  return `seat_${randomBytes(10).toString("hex")}`;
}

/** A seat's personal code to move it to another device: long enough not to be guessed, short enough to type. */
export const REJOIN_CODE_LENGTH = 10;
