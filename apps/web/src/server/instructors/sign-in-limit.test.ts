import { describe, expect, it } from "vitest";
import { SlidingWindowRateLimiter } from "../budget/rate-limiter";
import { signInRefusal } from "./sign-in-limit";

describe("signInRefusal", () => {
  it("lets an address try a few times a minute, then answers 429 with the wait, while other addresses go on", async () => {
    const limiter = new SlidingWindowRateLimiter(3, 60_000);
    const start = 1_000_000;
    for (let i = 0; i < 3; i++) expect(await signInRefusal(limiter, "10.0.0.1", start + i * 1000)).toBeUndefined();
    const refused = await signInRefusal(limiter, "10.0.0.1", start + 5000);
    expect(refused).toMatchObject({ status: 429, message: "Too many sign-in attempts from your address. Wait 55 s, then try again." });
    expect(refused?.headers).toEqual({ "retry-after": "55" });
    expect(await signInRefusal(limiter, "10.0.0.2", start + 5000)).toBeUndefined();
    expect(await signInRefusal(limiter, "10.0.0.1", start + 60_001)).toBeUndefined();
  });
});
