"use client";

import { useEffect, useState } from "react";

const format = (date: Date, timeZone?: string) =>
  date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short", ...(timeZone ? { timeZone, timeZoneName: "short" } : {}) });

/** A time in the reader's own time zone (the server renders it in UTC until the browser takes over). */
export function LocalTime({ iso }: { iso: string }) {
  const [shown, setShown] = useState(() => format(new Date(iso), "UTC"));
  useEffect(() => setShown(format(new Date(iso))), [iso]);
  return <time dateTime={iso}>{shown}</time>;
}
