"use client";

import { useEffect, useState } from "react";

/** The same text on the server and in the browser's first render (no locale, no zone but UTC), so hydration matches. */
const inUtc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** A time in the reader's own time zone and locale, once the browser has taken over. */
export function LocalTime({ iso }: { iso: string }) {
  const [shown, setShown] = useState(() => inUtc(iso));
  useEffect(
    () =>
      setShown(
        new Date(iso).toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }),
      ),
    [iso],
  );
  return <time dateTime={iso}>{shown}</time>;
}
