/**
 * Workshop rows for tests, written straight into a real database (the
 * instructor's sign-in is another part's: a session row stands for it here).
 */
import { randomBytes } from "node:crypto";
import type { Database } from "../../db";
import { hashSessionToken, INSTRUCTOR_COOKIE } from "../../instructors/instructor-access";
import { newSeat } from "../workshop-records";

const id = (prefix: string) => `${prefix}_${randomBytes(8).toString("hex")}`;

export interface SeededInstructor {
  id: string;
  /** The Cookie header a signed-in browser of this instructor sends. */
  cookie: string;
}

export async function seedInstructor(db: Database, name = "Grace Hopper"): Promise<SeededInstructor> {
  const instructorId = id("ins");
  const token = randomBytes(24).toString("hex");
  await db.instructor.create({
    data: {
      id: instructorId,
      email: `${instructorId}@example.test`,
      name,
      passwordHash: "$argon2id$v=19$m=65536,t=3,p=4$unused$unused",
      sessions: { create: { tokenHash: hashSessionToken(token), expiresAt: new Date(Date.now() + 3_600_000) } },
    },
  });
  return { id: instructorId, cookie: `${INSTRUCTOR_COOKIE}=${token}` };
}

export interface WorkshopSeed {
  title?: string;
  /** Its join code (one attendees can type: see join-code.ts); a code no attendee could type by default. */
  code?: string;
  capacity?: number;
  lessonIds?: string[];
  recordTerminals?: boolean;
  state?: string;
  startsAt?: Date;
  endsAt?: Date;
  endedAt?: Date | null;
}

/** A workshop run by `owner` (and any co-instructors). */
export async function seedWorkshop(db: Database, owner: SeededInstructor, seed: WorkshopSeed = {}, coInstructors: SeededInstructor[] = []) {
  const startsAt = seed.startsAt ?? new Date(Date.now() - 3_600_000);
  return db.workshop.create({
    data: {
      id: id("wks"),
      code: seed.code ?? randomBytes(4).toString("hex").toUpperCase(),
      title: seed.title ?? "Docker 101",
      lessonIds: JSON.stringify(seed.lessonIds ?? ["commit-a-container"]),
      startsAt,
      endsAt: seed.endsAt ?? new Date(startsAt.getTime() + 3 * 3_600_000),
      endedAt: seed.endedAt ?? null,
      capacity: seed.capacity ?? 30,
      recordTerminals: seed.recordTerminals ?? true,
      state: seed.state ?? "running",
      instructors: {
        create: [{ instructorId: owner.id, role: "owner" }, ...coInstructors.map((co) => ({ instructorId: co.id, role: "co" }))],
      },
    },
  });
}

/** A joined seat; its visitorId is what the attendee's browser carries as its visitor cookie. */
export async function seedSeat(db: Database, workshopId: string, name: string | null = "Ada Lovelace") {
  return db.seat.create({
    data: { ...newSeat(workshopId), name, joinedAt: name ? new Date() : null },
  });
}
