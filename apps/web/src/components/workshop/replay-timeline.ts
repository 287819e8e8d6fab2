import { type AsciicastHeader, type ParsedAsciicast, parseResizeData } from "../../recording/asciicast";

/** Pauses longer than this play as this long, unless the recording's header says otherwise (seconds). */
export const DEFAULT_IDLE_TIME_LIMIT = 2;

/** What the player does at a moment of playback: write output, or resize the terminal. */
export type ReplayFrame = { at: number; kind: "output"; data: string } | { at: number; kind: "resize"; cols: number; rows: number };

export interface ReplayTimeline {
  header: AsciicastHeader;
  /** Playback times (seconds) with every idle gap cut to the limit, in order. */
  frames: ReplayFrame[];
  duration: number;
}

/** The recording's events on the playback clock: input and markers are left out, pauses are capped, as asciinema's player does. */
export function replayTimeline({ header, events }: ParsedAsciicast): ReplayTimeline {
  const limit = header.idle_time_limit && header.idle_time_limit > 0 ? header.idle_time_limit : DEFAULT_IDLE_TIME_LIMIT;
  const frames: ReplayFrame[] = [];
  let recorded = 0;
  let played = 0;
  for (const [time, code, data] of events) {
    played += Math.min(Math.max(0, time - recorded), limit);
    recorded = Math.max(recorded, time);
    if (code === "o") frames.push({ at: played, kind: "output", data });
    const size = code === "r" ? parseResizeData(data) : undefined;
    if (size) frames.push({ at: played, kind: "resize", ...size });
  }
  return { header, frames, duration: played };
}

/** How many frames are due at playback time `time` (those at or before it). */
export function framesDue(frames: ReplayFrame[], time: number): number {
  let low = 0;
  let high = frames.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((frames[middle]?.at ?? Number.POSITIVE_INFINITY) <= time) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Consecutive outputs joined, so a seek writes the screen in few large writes. */
export function batchFrames(frames: ReplayFrame[]): ReplayFrame[] {
  const batches: ReplayFrame[] = [];
  for (const frame of frames) {
    const last = batches.at(-1);
    if (frame.kind === "output" && last?.kind === "output") batches[batches.length - 1] = { ...last, data: last.data + frame.data };
    else batches.push(frame);
  }
  return batches;
}

/** m:ss (or h:mm:ss) for a playback time in seconds. */
export function formatClock(seconds: number): string {
  const whole = Math.floor(Math.max(0, seconds));
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  const pad = (value: number) => String(value).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}
