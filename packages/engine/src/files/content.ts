import { createHash } from "node:crypto";

/** How much of a file decides whether it is binary when it is too large to read whole. */
export const SNIFF_BYTES = 8192;

/**
 * The bytes as text, or undefined when they are binary: a NUL byte in the
 * first chunk, or bytes that are not UTF-8. A whole file must be valid UTF-8
 * throughout (anything else would be corrupted by an edit and a save); a
 * sample (the start of a file too large to read) may end inside a character.
 * A byte-order mark is kept, so saving writes back exactly what was read.
 */
export function decodeText(bytes: Uint8Array, whole: boolean): string | undefined {
  if (bytes.subarray(0, SNIFF_BYTES).includes(0)) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes, { stream: !whole });
  } catch {
    return undefined;
  }
}

/** A file's version tag: the SHA-256 of its bytes (also computed inside the sandbox with sha256sum). */
export function etagOf(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
