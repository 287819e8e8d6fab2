import { hash, verify } from "@node-rs/argon2";

const PASSWORD_MIN_LENGTH = 10;
const PASSWORD_MAX_LENGTH = 200;

/** What is wrong with a new password, or undefined when it will do. The message says what to choose instead. */
export function passwordProblem(password: string, account: { email: string; name: string }): string | undefined {
  if (password.trim() === "") return "The password is empty: choose one of at least 10 characters.";
  if (password.length < PASSWORD_MIN_LENGTH)
    return `The password is too short (${password.length} characters): choose one of at least ${PASSWORD_MIN_LENGTH}; a few unrelated words make a good one.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `The password is too long: at most ${PASSWORD_MAX_LENGTH} characters.`;
  if (new Set(password.toLowerCase()).size < 5)
    return "The password repeats too few characters to be hard to guess: mix at least 5 different characters.";
  const lowered = password.toLowerCase();
  const mailbox = account.email.toLowerCase().split("@")[0] ?? "";
  const name = account.name.trim().toLowerCase();
  if ((mailbox.length >= 4 && lowered.includes(mailbox)) || (name.length >= 4 && lowered.includes(name)))
    return "The password contains your name or e-mail address, which is the first thing a guesser tries: choose another.";
  return undefined;
}

/** An argon2id PHC string (the library's defaults: 19 MiB, 2 passes, 1 lane, a random 16-byte salt). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** Whether the password matches the stored hash; a malformed hash never matches. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

let decoyHash: Promise<string> | undefined;

/**
 * Spends the time a real check would on an e-mail no account has, so how long
 * a sign-in takes does not tell which e-mail addresses have accounts.
 */
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoyHash ??= hashPassword("decoy password nobody has");
  await verifyPassword(await decoyHash, password);
  return false;
}
