import { describe, expect, it, vi } from "vitest";
import { HttpError } from "./http-error";

describe("HttpError", () => {
  it("is recognised by another copy of the module, as Next's bundles hold one apart from server.ts", async () => {
    vi.resetModules();
    const copy = await import("./http-error");
    expect(copy.HttpError).not.toBe(HttpError);
    expect(new copy.HttpError("full", 503)).toBeInstanceOf(HttpError);
    expect(new HttpError("full", 503)).toBeInstanceOf(copy.HttpError);
  });

  it("is not mistaken for any other error", () => {
    expect(new Error("boom")).not.toBeInstanceOf(HttpError);
    expect({ status: 503, message: "full" }).not.toBeInstanceOf(HttpError);
    expect(null).not.toBeInstanceOf(HttpError);
  });
});
