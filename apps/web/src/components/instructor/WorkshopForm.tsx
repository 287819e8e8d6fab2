"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
import type { WorkshopView } from "@/server/workshops/workshop-admin";
import type { WorkshopLimits } from "@/server/workshops/workshop-input";
import { FormMessages } from "../FormMessages";
import { UntilHydrated } from "../UntilHydrated";
import { sendJson } from "./send-json";

interface WorkshopFormProps {
  /** The workshop to edit; none for a new one. */
  workshop?: WorkshopView;
  lessons: { id: string; title: string }[];
  limits: WorkshopLimits;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A time as a datetime-local input shows it: the browser's own time zone. */
function toLocalInput(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The input's local time as an ISO instant; what cannot be read goes as typed, for the server to name. */
function toInstant(local: string): string {
  const date = new Date(local);
  return local && !Number.isNaN(date.getTime()) ? date.toISOString() : local;
}

/** A number field as typed: a number when it reads as one, else the text (which the server refuses, naming the field). */
function numberOrText(typed: string): number | string {
  const value = Number(typed);
  return typed.trim() !== "" && Number.isFinite(value) ? value : typed;
}

/** An optional number field: empty means the deployment's value. */
const optionalNumber = (typed: string) => (typed.trim() === "" ? null : numberOrText(typed));

interface Fields {
  title: string;
  lessonIds: string[];
  startsAt: string;
  endsAt: string;
  capacity: string;
  seatMemoryMib: string;
  seatCpus: string;
  preparedSeats: string;
  recordTerminals: boolean;
}

function initialFields(workshop?: WorkshopView): Fields {
  return {
    title: workshop?.title ?? "",
    lessonIds: workshop?.lessons.map((lesson) => lesson.id) ?? [],
    // Filled in once in the browser, which knows its time zone.
    startsAt: "",
    endsAt: "",
    capacity: String(workshop?.capacity ?? 30),
    seatMemoryMib: workshop?.seatMemoryMib == null ? "" : String(workshop.seatMemoryMib),
    seatCpus: workshop?.seatCpus == null ? "" : String(workshop.seatCpus),
    preparedSeats: String(workshop?.preparedSeats ?? 0),
    recordTerminals: workshop?.recordTerminals ?? false,
  };
}

/** The workshop's times, in the browser's zone: its own, or for a new one the next full hour for three hours. */
function initialTimes(workshop?: WorkshopView): Pick<Fields, "startsAt" | "endsAt"> {
  if (workshop) return { startsAt: toLocalInput(new Date(workshop.startsAt)), endsAt: toLocalInput(new Date(workshop.endsAt)) };
  const start = new Date();
  start.setHours(start.getHours() + 1, 0, 0, 0);
  return { startsAt: toLocalInput(start), endsAt: toLocalInput(new Date(start.getTime() + 3 * 3600_000)) };
}

/** Create or edit a workshop. A refusal shows the server's message and keeps every value typed. */
export function WorkshopForm({ workshop, lessons, limits }: WorkshopFormProps) {
  const router = useRouter();
  const id = useId();
  const [fields, setFields] = useState<Fields>(() => initialFields(workshop));
  const [toAdd, setToAdd] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setFields((current) => (current.startsAt || current.endsAt ? current : { ...current, ...initialTimes(workshop) }));
  }, [workshop]);

  const set = <K extends keyof Fields>(key: K, value: Fields[K]) => setFields((current) => ({ ...current, [key]: value }));
  const titleOf = (lessonId: string) => lessons.find((lesson) => lesson.id === lessonId)?.title ?? lessonId;
  const addable = lessons.filter((lesson) => !fields.lessonIds.includes(lesson.id));

  function addLesson() {
    const chosen = toAdd || addable[0]?.id;
    if (!chosen || fields.lessonIds.includes(chosen)) return;
    set("lessonIds", [...fields.lessonIds, chosen]);
    setToAdd("");
  }

  function moveLesson(index: number, by: -1 | 1) {
    const order = [...fields.lessonIds];
    const [moved] = order.splice(index, 1);
    if (moved === undefined) return;
    order.splice(index + by, 0, moved);
    set("lessonIds", order);
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setNote(null);
    const body = {
      title: fields.title,
      lessonIds: fields.lessonIds,
      startsAt: toInstant(fields.startsAt),
      endsAt: toInstant(fields.endsAt),
      capacity: numberOrText(fields.capacity),
      seatMemoryMib: optionalNumber(fields.seatMemoryMib),
      seatCpus: optionalNumber(fields.seatCpus),
      preparedSeats: numberOrText(fields.preparedSeats),
      recordTerminals: fields.recordTerminals,
    };
    const outcome = workshop
      ? await sendJson<{ workshop: WorkshopView }>("PUT", `/api/instructor/workshops/${workshop.id}`, body)
      : await sendJson<{ workshop: WorkshopView }>("POST", "/api/instructor/workshops", body);
    setBusy(false);
    if (!outcome.ok) {
      setError(outcome.error);
      return;
    }
    if (workshop) setNote("Saved.");
    else {
      setNote(`Created “${outcome.data.workshop.title}”: join code ${outcome.data.workshop.code}.`);
      setFields({ ...initialFields(), ...initialTimes() });
    }
    router.refresh();
  }

  return (
    <form className="form-grid panel" onSubmit={submit} noValidate aria-label={workshop ? "Workshop settings" : "New workshop"}>
      <UntilHydrated>
        <label className="field">
          <span>Title</span>
          <input type="text" value={fields.title} onChange={(e) => set("title", e.target.value)} maxLength={120} />
        </label>

        <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="field-label">Lessons, in order</legend>
          {fields.lessonIds.length === 0 ? (
            <p className="muted">No lessons yet: add at least one.</p>
          ) : (
            <ol className="lesson-order" aria-label="Chosen lessons">
              {fields.lessonIds.map((lessonId, index) => (
                <li key={lessonId}>
                  <span>
                    {index + 1}. {titleOf(lessonId)}
                  </span>
                  <button
                    type="button"
                    className="secondary small"
                    onClick={() => moveLesson(index, -1)}
                    disabled={index === 0}
                    aria-label={`Move ${titleOf(lessonId)} up`}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="secondary small"
                    onClick={() => moveLesson(index, 1)}
                    disabled={index === fields.lessonIds.length - 1}
                    aria-label={`Move ${titleOf(lessonId)} down`}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="secondary small"
                    onClick={() =>
                      set(
                        "lessonIds",
                        fields.lessonIds.filter((other) => other !== lessonId),
                      )
                    }
                    aria-label={`Remove ${titleOf(lessonId)}`}
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ol>
          )}
          {addable.length > 0 && (
            <div className="inline-controls">
              <label htmlFor={`${id}-add`} className="muted">
                Add a lesson
              </label>
              <select id={`${id}-add`} value={toAdd || addable[0]?.id} onChange={(e) => setToAdd(e.target.value)}>
                {addable.map((lesson) => (
                  <option key={lesson.id} value={lesson.id}>
                    {lesson.title}
                  </option>
                ))}
              </select>
              <button type="button" className="secondary" onClick={addLesson}>
                Add lesson
              </button>
            </div>
          )}
        </fieldset>

        <div className="form-row">
          <label className="field">
            <span>Starts</span>
            <input type="datetime-local" value={fields.startsAt} onChange={(e) => set("startsAt", e.target.value)} />
          </label>
          <label className="field">
            <span>Ends</span>
            <input type="datetime-local" value={fields.endsAt} onChange={(e) => set("endsAt", e.target.value)} />
          </label>
        </div>

        <div className="form-row">
          <label className="field">
            <span>Capacity</span>
            <input type="number" min={1} value={fields.capacity} onChange={(e) => set("capacity", e.target.value)} />
            <small>Attendees who can join.</small>
          </label>
          <label className="field">
            <span>Seats to prepare</span>
            <input
              type="number"
              min={0}
              max={limits.maxLiveSandboxes}
              value={fields.preparedSeats}
              onChange={(e) => set("preparedSeats", e.target.value)}
            />
            <small>Started before anyone arrives; at most {limits.maxLiveSandboxes} here.</small>
          </label>
        </div>

        <div className="form-row">
          <label className="field">
            <span>Memory per seat (MiB)</span>
            <input
              type="number"
              min={128}
              max={limits.maxSeatMemoryMib}
              placeholder={String(limits.maxSeatMemoryMib)}
              value={fields.seatMemoryMib}
              onChange={(e) => set("seatMemoryMib", e.target.value)}
            />
            <small>At most {limits.maxSeatMemoryMib} MiB, this deployment's limit; empty for that.</small>
          </label>
          <label className="field">
            <span>CPUs per seat</span>
            <input
              type="number"
              min={0.1}
              step={0.1}
              max={limits.maxSeatCpus}
              placeholder={String(limits.maxSeatCpus)}
              value={fields.seatCpus}
              onChange={(e) => set("seatCpus", e.target.value)}
            />
            <small>At most {limits.maxSeatCpus}, this deployment's limit; empty for that.</small>
          </label>
        </div>

        <label className="checkbox">
          <input type="checkbox" checked={fields.recordTerminals} onChange={(e) => set("recordTerminals", e.target.checked)} />
          <span>Record terminals (attendees are told when they join)</span>
        </label>

        <FormMessages error={error} note={note} />
        <div>
          <button type="submit" disabled={busy}>
            {workshop ? "Save changes" : "Create workshop"}
          </button>
        </div>
      </UntilHydrated>
    </form>
  );
}
