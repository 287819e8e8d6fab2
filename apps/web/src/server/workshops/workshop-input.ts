import { z } from "zod";
import { HttpError } from "../http/http-error";

/** The most a workshop may ask for, from the deployment's configuration. */
export interface WorkshopLimits {
  /** Per-seat memory ceiling (SANDBOX_MEMORY_MIB, the agents' own). */
  maxSeatMemoryMib: number;
  /** Per-seat CPU ceiling (SANDBOX_CPUS, the agents' own). */
  maxSeatCpus: number;
  /** Live sandboxes the deployment holds (MAX_LIVE_SANDBOXES): no more seats can be prepared. */
  maxLiveSandboxes: number;
}

const MAX_CAPACITY = 500;
const MAX_LESSONS = 20;
const MAX_DURATION_DAYS = 14;
const MIN_SEAT_MEMORY_MIB = 128;
const MIN_SEAT_CPUS = 0.1;

/** A workshop as the form sends it, checked. Absent seat limits are the deployment's. */
export interface WorkshopInput {
  title: string;
  lessonIds: string[];
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  seatMemoryMib: number | null;
  seatCpus: number | null;
  preparedSeats: number;
  recordTerminals: boolean;
}

const whole = (label: string) => z.number(`${label}: give a whole number.`).int(`${label}: give a whole number.`);

function workshopSchema(limits: WorkshopLimits, lessonExists: (id: string) => boolean) {
  return z
    .object({
      title: z
        .string("Title: give the workshop a title.")
        .trim()
        .min(1, "Title: give the workshop a title.")
        .max(120, "Title: at most 120 characters.")
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
        .regex(/^[^\u0000-\u001f\u007f]*$/, "Title: use plain text (no control characters)."),
      lessonIds: z
        .array(z.string().max(100), "Lessons: choose at least one lesson.")
        .min(1, "Lessons: choose at least one lesson.")
        .max(MAX_LESSONS, `Lessons: at most ${MAX_LESSONS}.`)
        .refine((ids) => new Set(ids).size === ids.length, "Lessons: each lesson can be in the workshop once.")
        .superRefine((ids, context) => {
          for (const id of ids)
            if (!lessonExists(id)) context.addIssue({ code: "custom", message: `Lessons: there is no lesson "${id}".` });
        }),
      startsAt: z.iso.datetime({ offset: true, error: "Start: give a date and time." }).transform((value) => new Date(value)),
      endsAt: z.iso.datetime({ offset: true, error: "End: give a date and time." }).transform((value) => new Date(value)),
      capacity: whole("Capacity")
        .min(1, "Capacity: at least 1 attendee.")
        .max(MAX_CAPACITY, `Capacity: at most ${MAX_CAPACITY} attendees.`),
      seatMemoryMib: whole("Memory per seat")
        .min(
          MIN_SEAT_MEMORY_MIB,
          `Memory per seat: at least ${MIN_SEAT_MEMORY_MIB} MiB, or leave it empty for the deployment's ${limits.maxSeatMemoryMib} MiB.`,
        )
        .max(limits.maxSeatMemoryMib, `Memory per seat: at most ${limits.maxSeatMemoryMib} MiB, this deployment's limit per sandbox.`)
        .nullable(),
      seatCpus: z
        .number("CPUs per seat: give a number like 0.5.")
        .min(MIN_SEAT_CPUS, `CPUs per seat: at least ${MIN_SEAT_CPUS}, or leave it empty for the deployment's ${limits.maxSeatCpus}.`)
        .max(limits.maxSeatCpus, `CPUs per seat: at most ${limits.maxSeatCpus}, this deployment's limit per sandbox.`)
        .nullable(),
      preparedSeats: whole("Seats to prepare")
        .min(0, "Seats to prepare: 0 or more.")
        .max(limits.maxLiveSandboxes, `Seats to prepare: at most ${limits.maxLiveSandboxes}, the live sandboxes this deployment holds.`),
      recordTerminals: z.boolean("Record terminals: yes or no."),
    })
    .strict()
    .superRefine((workshop, context) => {
      // Zod runs this even when a field failed above; compare only what parsed.
      if (!(workshop.startsAt instanceof Date) || !(workshop.endsAt instanceof Date)) return;
      if (workshop.endsAt.getTime() <= workshop.startsAt.getTime())
        context.addIssue({ code: "custom", path: ["endsAt"], message: "End: must be after the start." });
      else if (workshop.endsAt.getTime() - workshop.startsAt.getTime() > MAX_DURATION_DAYS * 24 * 3600_000)
        context.addIssue({ code: "custom", path: ["endsAt"], message: `End: a workshop lasts at most ${MAX_DURATION_DAYS} days.` });
      if (Number.isInteger(workshop.capacity) && workshop.preparedSeats > workshop.capacity)
        context.addIssue({ code: "custom", path: ["preparedSeats"], message: "Seats to prepare: no more than the capacity." });
    });
}

/** The form's body checked against the deployment's limits; a 400 listing every problem, each naming its field. */
export function parseWorkshopInput(body: unknown, limits: WorkshopLimits, lessonExists: (id: string) => boolean): WorkshopInput {
  const parsed = workshopSchema(limits, lessonExists).safeParse(body);
  if (parsed.success) return parsed.data;
  const messages = parsed.error.issues.map((issue) =>
    issue.code === "unrecognized_keys" ? `Unknown fields: ${issue.keys.join(", ")}.` : issue.message,
  );
  throw new HttpError([...new Set(messages)].join(" "), 400);
}
