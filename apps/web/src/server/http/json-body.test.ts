import { describe, expect, it } from "vitest";
import { readJsonBody, stringField } from "./json-body";

const post = (body: string) => new Request("http://web/api/x", { method: "POST", body });

describe("readJsonBody", () => {
  it("reads JSON and refuses anything else, saying what to send", async () => {
    await expect(readJsonBody(post('{"to":"open"}'), '{"to"}')).resolves.toEqual({ to: "open" });
    await expect(readJsonBody(post("to=open"), '{"to": "open"}')).rejects.toMatchObject({
      status: 400,
      message: 'The body is not JSON. Send {"to": "open"}.',
    });
    await expect(readJsonBody(post(`"${"x".repeat(70_000)}"`), "a form")).rejects.toMatchObject({ status: 413 });
  });

  it("takes string fields only", () => {
    expect(stringField({ email: "a@b.org" }, "email")).toBe("a@b.org");
    expect(stringField({ email: 42 }, "email")).toBe("");
    expect(stringField(null, "email")).toBe("");
    expect(stringField(["a"], "0")).toBe("");
  });
});
