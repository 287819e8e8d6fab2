import { describe, expect, it } from "vitest";
import { EngineError } from "../errors";
import { splitPath, workspacePath } from "./paths";

function refusal(input: unknown, options?: { allowRoot?: boolean }): EngineError {
  try {
    workspacePath(input, options);
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error(`${JSON.stringify(input)} was accepted`);
}

describe("workspace paths", () => {
  it("normalises separators and '.'", () => {
    expect(workspacePath("app/Dockerfile")).toBe("app/Dockerfile");
    expect(workspacePath("./app//src/./main.py/")).toBe("app/src/main.py");
    expect(workspacePath("with space/ünïcødé 🐳.txt")).toBe("with space/ünïcødé 🐳.txt");
  });

  it.each([
    ["../etc/passwd", /leads out of the workspace/],
    ["app/../../etc/passwd", /leads out of the workspace/],
    ["app/..", /leads out of the workspace/],
    ["/etc/passwd", /absolute path/],
    ["a\0b", /NUL/],
    ["", /not the workspace itself/],
    ["./", /not the workspace itself/],
    [`${"a".repeat(256)}/b`, /longer than 255 bytes/],
    [`${"abcdefgh/".repeat(456)}x`, /longer than 4096 bytes/],
    [42, /must be a string/],
  ])("refuses %j with a reason and a hint", (input, reason) => {
    const error = refusal(input);
    expect(error.code).toBe("path-refused");
    expect(error.message).toMatch(reason);
    expect(error.hint).toMatch(/relative to the workspace/);
  });

  it("refuses '..' even where it would stay inside: a symlinked folder makes it mean something else", () => {
    expect(refusal("a/../b").message).toMatch(/\.\./);
  });

  it("accepts the workspace itself only where asked", () => {
    expect(workspacePath("", { allowRoot: true })).toBe("");
    expect(workspacePath(".", { allowRoot: true })).toBe("");
  });

  it("splits a path into its folder and name", () => {
    expect(splitPath("a/b/c.txt")).toEqual({ dir: "a/b", name: "c.txt" });
    expect(splitPath("c.txt")).toEqual({ dir: "", name: "c.txt" });
  });
});
