import { describe, expect, it } from "vitest";
import { originRefusal } from "./origin-guard";

const host = "drydock.example:3000";

describe("originRefusal", () => {
  it("lets a same-origin page change state", () => {
    expect(originRefusal("POST", "/api/sessions", { host, origin: "http://drydock.example:3000", "sec-fetch-site": "same-origin" })).toBe(
      undefined,
    );
  });

  it("refuses another site's page", () => {
    expect(originRefusal("POST", "/api/sessions", { host, origin: "http://evil.example" })).toMatch(
      /another site \(http:\/\/evil\.example\)/,
    );
    expect(originRefusal("DELETE", "/api/sessions/ses_1", { host, origin: "null" })).toMatch(/another site/);
    expect(originRefusal("PUT", "/api/x", { host, origin: "http://drydock.example:3001" })).toMatch(/another site/);
  });

  it("refuses a browser's state-changing request without an Origin", () => {
    expect(originRefusal("POST", "/api/sessions", { host, "sec-fetch-site": "cross-site" })).toMatch(/no Origin header/);
    expect(originRefusal("PATCH", "/api/sessions", { host, "sec-fetch-site": "none", "sec-fetch-mode": "navigate" })).toMatch(
      /no Origin header/,
    );
  });

  it("leaves tools that are not browsers, reads and pages alone", () => {
    expect(originRefusal("POST", "/api/sessions", { host })).toBe(undefined);
    // Node's fetch adds Sec-Fetch-Mode by itself; it is no browser.
    expect(originRefusal("POST", "/api/sessions", { host, "sec-fetch-mode": "cors" })).toBe(undefined);
    expect(originRefusal("GET", "/api/sessions/ses_1/ports", { host, origin: "http://evil.example" })).toBe(undefined);
    expect(originRefusal("POST", "/lessons/x", { host, origin: "http://evil.example" })).toBe(undefined);
  });
});
