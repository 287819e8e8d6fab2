import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Database } from "../db";
import { HttpError } from "../http/http-error";
import { hashSessionToken, type SignedInInstructor } from "./instructor-access";
import { hashPassword, passwordProblem, verifyAgainstDecoy, verifyPassword } from "./password";

/** How long a sign-in lasts. */
const INSTRUCTOR_SESSION_DAYS = 14;
const SESSION_MS = INSTRUCTOR_SESSION_DAYS * 24 * 60 * 60 * 1000;

export const instructorEmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "The e-mail address is too long.")
  .pipe(z.email("Give an e-mail address like ann@example.org."));

const instructorNameSchema = z
  .string()
  .trim()
  .min(1, "Give a name: attendees and co-instructors see it.")
  .max(100, "The name is too long: at most 100 characters.")
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  .regex(/^[^\u0000-\u001f\u007f]*$/, "The name holds control characters: use plain text.");

export interface NewInstructor {
  email: string;
  name: string;
  password: string;
}

/** Reads and checks a new account: e-mail, name and a password that is not weak. Throws a 400 naming what to fix. */
function parseNewInstructor(input: NewInstructor): NewInstructor {
  const email = instructorEmailSchema.safeParse(input.email);
  if (!email.success) throw new HttpError(email.error.issues[0]?.message ?? "Give a valid e-mail address.", 400);
  const name = instructorNameSchema.safeParse(input.name);
  if (!name.success) throw new HttpError(name.error.issues[0]?.message ?? "Give a name.", 400);
  const weak = passwordProblem(input.password, { email: email.data, name: name.data });
  if (weak) throw new HttpError(weak, 400);
  return { email: email.data, name: name.data, password: input.password };
}

const newInstructorId = () => `ins_${randomBytes(12).toString("hex")}`;

/** Makes an instructor account (the operator's command). An e-mail already in use is refused (409). */
export async function createInstructor(db: Database, input: NewInstructor): Promise<SignedInInstructor> {
  const account = parseNewInstructor(input);
  const passwordHash = await hashPassword(account.password);
  if (await db.instructor.findUnique({ where: { email: account.email } }))
    throw new HttpError(`An instructor with the e-mail ${account.email} exists already; to change the password use reset-password.`, 409);
  return db.instructor.create({
    data: { id: newInstructorId(), email: account.email, name: account.name, passwordHash },
    select: { id: true, email: true, name: true },
  });
}

export async function hasAnyInstructor(db: Database): Promise<boolean> {
  return (await db.instructor.count()) > 0;
}

/**
 * The first-run page's account: made only while no instructor exists, checked
 * and written in one serializable transaction, so two browsers racing through
 * the setup page cannot both become the first. (SQLite runs one writer at a
 * time anyway; PostgreSQL's default isolation would let both read "none" and
 * both insert, so there the loser's transaction fails with a write conflict
 * and runs again, to find the winner's account.)
 */
export async function createFirstInstructor(db: Database, input: NewInstructor): Promise<SignedInInstructor> {
  const account = parseNewInstructor(input);
  const passwordHash = await hashPassword(account.password);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(
        async (tx) => {
          if ((await tx.instructor.count()) > 0)
            throw new HttpError("An instructor account exists already: sign in instead, or ask an operator for an account.", 409);
          return tx.instructor.create({
            data: { id: newInstructorId(), email: account.email, name: account.name, passwordHash },
            select: { id: true, email: true, name: true },
          });
        },
        { isolationLevel: "Serializable" },
      );
    } catch (error) {
      if (!isWriteConflict(error) || attempt >= MAX_SERIALIZABLE_ATTEMPTS) throw error;
    }
  }
}

const MAX_SERIALIZABLE_ATTEMPTS = 5;

/**
 * A serializable transaction lost to a concurrent one and may simply run again: Prisma's
 * P2034, or, from inside an interactive transaction, the driver adapter's own error for it.
 */
function isWriteConflict(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, cause } = error as { code?: unknown; cause?: { kind?: unknown } };
  return code === "P2034" || cause?.kind === "TransactionWriteConflict";
}

export interface InstructorListing extends SignedInInstructor {
  createdAt: Date;
  workshops: number;
}

export async function listInstructors(db: Database): Promise<InstructorListing[]> {
  const rows = await db.instructor.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, email: true, name: true, createdAt: true, _count: { select: { workshops: true } } },
  });
  return rows.map(({ _count, ...row }) => ({ ...row, workshops: _count.workshops }));
}

/** Sets a new password and signs the instructor out everywhere (a reset follows a leak or a lost password). */
export async function resetPassword(db: Database, email: string, password: string): Promise<SignedInInstructor> {
  const normalised = instructorEmailSchema.safeParse(email);
  const instructor = normalised.success ? await db.instructor.findUnique({ where: { email: normalised.data } }) : null;
  if (!instructor) throw new HttpError(`No instructor has the e-mail ${email}; list-instructors shows who has.`, 404);
  const weak = passwordProblem(password, instructor);
  if (weak) throw new HttpError(weak, 400);
  const passwordHash = await hashPassword(password);
  await db.$transaction([
    db.instructor.update({ where: { id: instructor.id }, data: { passwordHash } }),
    db.instructorSession.deleteMany({ where: { instructorId: instructor.id } }),
  ]);
  return { id: instructor.id, email: instructor.email, name: instructor.name };
}

/** The one answer to any failed sign-in: it never says whether the e-mail has an account. */
export const WRONG_CREDENTIALS = "That e-mail and password do not match an instructor account. Check both and try again.";

/** The instructor whose e-mail and password these are; a 401 with one generic message otherwise. */
export async function checkCredentials(db: Database, email: string, password: string): Promise<SignedInInstructor> {
  const normalised = instructorEmailSchema.safeParse(email);
  const instructor = normalised.success ? await db.instructor.findUnique({ where: { email: normalised.data } }) : null;
  const matches = instructor ? await verifyPassword(instructor.passwordHash, password) : await verifyAgainstDecoy(password);
  if (!instructor || !matches) throw new HttpError(WRONG_CREDENTIALS, 401);
  return { id: instructor.id, email: instructor.email, name: instructor.name };
}

export interface InstructorSessionToken {
  /** The cookie's value: 32 random bytes; the database keeps only its hash. */
  token: string;
  expiresAt: Date;
}

/** Opens a session for the instructor (and drops their expired ones). */
export async function openInstructorSession(db: Database, instructorId: string, now = new Date()): Promise<InstructorSessionToken> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_MS);
  await db.$transaction([
    db.instructorSession.deleteMany({ where: { instructorId, expiresAt: { lt: now } } }),
    db.instructorSession.create({ data: { tokenHash: hashSessionToken(token), instructorId, expiresAt } }),
  ]);
  return { token, expiresAt };
}

/** Ends the session this token opened (nothing happens for an unknown token). */
export async function closeInstructorSession(db: Database, token: string): Promise<void> {
  await db.instructorSession.deleteMany({ where: { tokenHash: hashSessionToken(token) } });
}
