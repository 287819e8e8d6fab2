/**
 * The workshop room, over socket.io on the web origin: attendees and
 * instructors of one workshop. Loaded by the browser: types and constants only
 * (schemas in workshop-schemas.ts).
 */
import type { Ack } from "./result";
import type { OutputAcks, TerminalSize } from "./terminal";

export const WORKSHOP_NAMESPACE = "/workshop";
/** Watching a terminal that is not one's own: an instructor watching (or typing with) a seat, attendees watching the presenter. */
export const WATCH_NAMESPACE = "/watch";

export type WorkshopState = "draft" | "open" | "running" | "ended";

/** A grid column: one step of one of the workshop's lessons. */
export interface GridStep {
  key: string; // `${lessonId}/${stepId}`
  lessonId: string;
  stepId: string;
  title: string;
  lessonTitle: string;
}

export type CellState = "none" | "current" | "passed" | "failed";

export interface GridCell {
  state: CellState;
  enteredAt?: string;
  passedAt?: string;
  /** Failed checks on this step. */
  failed: number;
}

export interface StuckFlag {
  /** e.g. "3 failed checks in 4 min". */
  reason: string;
}

export interface SeatRow {
  id: string;
  name: string;
  joinedAt: string | null;
  online: boolean;
  /** The seat's sandbox: none | starting | ready | paused | gone | failed. */
  sandbox: string;
  cells: Record<string, GridCell>;
  currentStep: string | null;
  currentSince: string | null;
  passedCount: number;
  lastExitCodes: number[];
  idleSince: string | null;
  stuck: StuckFlag[];
  handRaised: boolean;
  typingWith: string | null;
  endsAt: string;
}

export interface HelpView {
  id: string;
  seatId: string;
  seatName: string;
  raisedAt: string;
  claimedBy: string | null;
  claimedByName: string | null;
}

export interface SeatMeter {
  ready: number;
  preparing: number;
  failed: number;
  /** Seats prepared and not yet taken. */
  waiting: number;
}

export interface WorkshopSummary {
  id: string;
  title: string;
  code: string;
  state: WorkshopState;
  startsAt: string;
  endsAt: string;
  capacity: number;
  /** Seats the workshop's settings ask to keep ready ahead of arrivals. */
  preparedSeats: number;
  paused: boolean;
  presenting: boolean;
  recordTerminals: boolean;
}

export interface DashboardSnapshot {
  workshop: WorkshopSummary;
  steps: GridStep[];
  seats: SeatRow[];
  hands: HelpView[];
  meter: SeatMeter;
  me: { id: string; name: string; role: "owner" | "co" };
}

export interface SeatDetail {
  seatId: string;
  files: string[];
  lastCheck: { lessonId: string; stepId: string; passed: boolean; output: string; at: string } | null;
  commands: { exitCode: number; command: string | null; at: string }[];
  sessionId: string | null;
}

export interface Banner {
  text: string;
  from: string;
  at: string;
  /** Only this attendee sees it. */
  personal: boolean;
}

/** What an attendee's page shows of the room. */
export interface AttendeeState {
  workshopId: string;
  title: string;
  state: WorkshopState;
  endsAt: string;
  paused: boolean;
  banner: Banner | null;
  typingWith: string | null;
  presenting: boolean;
  recorded: boolean;
  handRaised: boolean;
}

export interface AttendeeClientEvents {
  "step:viewed": (step: { lessonId: string; stepId: string }) => void;
  "hand:raise": (ack: Ack<null>) => void;
  "hand:lower": (ack: Ack<null>) => void;
}

export interface AttendeeServerEvents {
  "attendee:state": (state: AttendeeState) => void;
  /** The instructor reset this seat: its new sandbox is ready, the page attaches to it. */
  "attendee:reset": () => void;
}

export interface InstructorClientEvents {
  "seats:prepare": (request: { count: number }, ack: Ack<SeatMeter>) => void;
  "room:message": (request: { text: string; seatId?: string }, ack: Ack<null>) => void;
  "room:extend": (request: { minutes: number; seatId?: string }, ack: Ack<{ endsAt: string }>) => void;
  "room:pause": (ack: Ack<null>) => void;
  "room:resume": (ack: Ack<null>) => void;
  "room:state": (request: { state: "open" | "running" }, ack: Ack<null>) => void;
  "room:end": (ack: Ack<null>) => void;
  "room:present": (request: { on: boolean }, ack: Ack<null>) => void;
  "seat:reset": (request: { seatId: string }, ack: Ack<null>) => void;
  "seat:detail": (request: { seatId: string }, ack: Ack<SeatDetail>) => void;
  "seat:file": (request: { seatId: string; path: string }, ack: Ack<{ content: string }>) => void;
  "hand:claim": (request: { handId: string }, ack: Ack<null>) => void;
  "hand:resolve": (request: { handId: string }, ack: Ack<null>) => void;
}

export interface InstructorServerEvents {
  "dashboard:snapshot": (snapshot: DashboardSnapshot) => void;
  /** Rows that changed since the last push. */
  "dashboard:seats": (rows: SeatRow[]) => void;
  "dashboard:hands": (hands: HelpView[]) => void;
  "dashboard:meter": (meter: SeatMeter) => void;
  "dashboard:workshop": (workshop: WorkshopSummary) => void;
}

/** The handshake of the workshop namespace: the workshop; the cookie says who. */
export interface WorkshopAuth {
  workshopId: string;
}

/** The handshake of the watch namespace. */
export interface WatchAuth {
  workshopId: string;
  /** A seat's id, or "presenter" for the instructor's own terminal. */
  target: string;
  mode: "read" | "write";
  size?: TerminalSize;
  acks?: OutputAcks;
}

export const PRESENTER_TARGET = "presenter";
export const MAX_BANNER_CHARS = 500;
export const MAX_DISPLAY_NAME_CHARS = 40;
