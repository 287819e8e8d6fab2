import { MAX_DISPLAY_NAME_CHARS } from "@drydock/protocol";

export type NameCheck = { ok: true; name: string } | { ok: false; message: string };

/**
 * An attendee's display name as others will see it: spaces collapsed, no
 * control or invisible formatting characters, 1 to 40 characters. Markup is
 * allowed and shown as text (React escapes it), never refused for its look.
 */
export function checkDisplayName(raw: unknown): NameCheck {
  if (typeof raw !== "string") return { ok: false, message: "Enter the name the room will see you by." };
  const name = raw
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Cf}]/gu, "")
    .replace(/\s+/g, " ")
    .trim();
  if (name.length === 0) return { ok: false, message: "Enter the name the room will see you by." };
  if ([...name].length > MAX_DISPLAY_NAME_CHARS) {
    return { ok: false, message: `A name holds at most ${MAX_DISPLAY_NAME_CHARS} characters; yours has ${[...name].length}. Shorten it.` };
  }
  return { ok: true, name };
}

/** Two names the room could not tell apart. */
export function sameDisplayName(a: string, b: string): boolean {
  return a.localeCompare(b, undefined, { sensitivity: "base" }) === 0;
}
