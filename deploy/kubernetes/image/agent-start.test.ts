import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, "agent-start.sh");
let root: string;

/** Runs drydock-agent-start with `node` replaced by a stand-in that prints what the agent would be started with. */
async function start(nodeName: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: `${join(root, "bin")}:${process.env.PATH ?? ""}`,
    NODE_NAME: nodeName,
    DRYDOCK_AGENT_CREDENTIALS_DIR: join(root, "credentials"),
    DRYDOCK_APP_DIR: join(root, "app"),
  };
  try {
    const { stdout, stderr } = await run("sh", [SCRIPT], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "drydock-agent-start-"));
  await mkdir(join(root, "bin"));
  await mkdir(join(root, "credentials"));
  await mkdir(join(root, "app/apps/sandbox-agent"), { recursive: true });
  const standIn = join(root, "bin/node");
  await writeFile(standIn, '#!/bin/sh\nprintf "%s|%s|%s\\n" "$DRYDOCK_AGENT_CREDENTIAL" "$(pwd)" "$*"\n');
  await chmod(standIn, 0o755);
  await writeFile(join(root, "credentials/node-a"), "cred-of-node-a");
  await writeFile(join(root, "credentials/node-empty"), "");
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("drydock-agent-start (the agent pod's main process)", () => {
  it("starts the agent with its own node's credential, from the agent's folder", async () => {
    const { code, stdout } = await start("node-a");
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(`cred-of-node-a|${join(root, "app/apps/sandbox-agent")}|--import tsx src/main.ts`);
  });

  it.each(["node-b", "node-empty"])("refuses to start %s, which has no credential, saying how to issue one", async (node) => {
    const { code, stdout, stderr } = await start(node);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    const line = JSON.parse(stderr.trim());
    expect(line).toMatchObject({ event: "agent.credential_missing", node });
    expect(line.fix).toContain(`issue-agent --name ${node}`);
  });
});
