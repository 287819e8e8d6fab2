/** A workshop's life: prepared in draft, open for joining, running, ended (final). */
export const WORKSHOP_STATES = ["draft", "open", "running", "ended"] as const;
export type WorkshopState = (typeof WORKSHOP_STATES)[number];

export function isWorkshopState(value: string): value is WorkshopState {
  return (WORKSHOP_STATES as readonly string[]).includes(value);
}

/** What the room knows that a transition depends on. */
export interface TransitionFacts {
  /** Attendees who took a seat (prepared seats without a name do not count). */
  joinedAttendees: number;
}

/** The moves each state allows, in the order an instructor makes them. */
const NEXT: Record<WorkshopState, readonly WorkshopState[]> = {
  draft: ["open", "ended"],
  open: ["running", "draft", "ended"],
  running: ["ended"],
  ended: [],
};

/** Why the workshop cannot go from `from` to `to`, or undefined when it can. */
export function transitionRefusal(from: WorkshopState, to: WorkshopState, facts: TransitionFacts): string | undefined {
  if (from === to) return `The workshop is ${from} already.`;
  if (from === "ended") return "The workshop has ended; an ended workshop stays ended (make a new one to run it again).";
  if (!NEXT[from].includes(to)) {
    const allowed = NEXT[from].join(" or ");
    return `A ${from} workshop cannot become ${to}; from ${from} it can become ${allowed}.`;
  }
  if (from === "open" && to === "draft" && facts.joinedAttendees > 0)
    return `${facts.joinedAttendees} attendee(s) joined already, so the workshop cannot go back to draft; start it or end it.`;
  return undefined;
}

/** The moves open to the instructor now (what the page offers as buttons). */
export function allowedTransitions(from: WorkshopState, facts: TransitionFacts): WorkshopState[] {
  return NEXT[from].filter((to) => transitionRefusal(from, to, facts) === undefined);
}

/** Title, lessons, times, limits and seats may change only before the workshop runs. */
export function isEditable(state: WorkshopState): boolean {
  return state === "draft" || state === "open";
}

/** Only the owner deletes, and only a workshop nobody is in: not yet opened, or over. */
export function isDeletable(state: WorkshopState): boolean {
  return state === "draft" || state === "ended";
}
