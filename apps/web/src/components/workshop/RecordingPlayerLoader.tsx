"use client";

import dynamic from "next/dynamic";

/** The player with xterm.js, loaded in the browser only (xterm.js needs a DOM). */
export const RecordingPlayerLoader = dynamic(() => import("./RecordingPlayer").then((module) => module.RecordingPlayer), {
  ssr: false,
  loading: () => <p className="recording-loading">Loading the player…</p>,
});
