"use client";

import { useRouter } from "next/navigation";

/** This browser stops being the seat (the seat and its work stay; the rejoin code brings them back). */
export function LeaveWorkshop() {
  const router = useRouter();
  return (
    <button
      type="button"
      onClick={async () => {
        await fetch("/api/workshops/leave", { method: "POST" });
        router.push("/");
      }}
    >
      Leave the workshop on this browser
    </button>
  );
}
