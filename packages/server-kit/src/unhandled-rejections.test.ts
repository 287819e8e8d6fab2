import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const tsx = join(import.meta.dirname, "../../../node_modules/.bin/tsx");
const module = join(import.meta.dirname, "unhandled-rejections.ts");
const logModule = join(import.meta.dirname, "log.ts");

/** A process that lets a rejection go unhandled, then says it is still alive on a later turn. */
function rejectUnhandled(withHandler: boolean) {
  const script = `
    import { createLogger } from ${JSON.stringify(logModule)};
    import { logUnhandledRejections } from ${JSON.stringify(module)};
    if (${withHandler}) logUnhandledRejections(createLogger("web"));
    void Promise.reject(new Error("Redis went away"));
    setTimeout(() => console.log("still serving"), 50);
  `;
  return spawnSync(tsx, ["--input-type=module", "--eval", script], { encoding: "utf8" });
}

describe("logUnhandledRejections", () => {
  it("logs an unhandled rejection as one JSON line and keeps the process serving", () => {
    const run = rejectUnhandled(true);
    expect(run.status).toBe(0);
    const lines = `${run.stdout}${run.stderr}`.split("\n").filter((line) => line.startsWith("{"));
    const entry = JSON.parse(lines.find((line) => line.includes("process.unhandled_rejection")) ?? "{}");
    expect(entry).toMatchObject({ level: "error", component: "web", event: "process.unhandled_rejection" });
    expect(JSON.stringify(entry.error)).toContain("Redis went away");
    expect(run.stdout).toContain("still serving");
  });

  it("is what keeps it alive: without it, Node ends the process", () => {
    const run = rejectUnhandled(false);
    expect(run.status).not.toBe(0);
    expect(run.stdout).not.toContain("still serving");
  });
});
