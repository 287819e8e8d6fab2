/**
 * The one place the cluster asks the operator's tool for agents'
 * credentials (`npm run admin -- issue-agent --name NAME`, and
 * `revoke-agent`), so the agents dial the control plane as an operator's
 * would. The credential is the last word the tool prints on stdout.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "../..");
const ADMIN = join(ROOT, "scripts/admin.ts");
/** What revoke-agent exits with when there is no such agent to revoke. */
const NOTHING_TO_REVOKE = 1;

type Failure = Error & { code?: number; stderr?: string };

function admin(args: string[], databaseUrl: string) {
  return run(process.execPath, ["--import", "tsx", ADMIN, ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl } });
}

/**
 * Issues a fresh credential for the agent `name` (revoking any earlier one
 * of that name, from a previous run on the same database).
 */
export async function issueAgentCredential(name: string, databaseUrl: string): Promise<string> {
  await admin(["revoke-agent", "--name", name], databaseUrl).catch((error: Failure) => {
    // Nothing to revoke is the usual case (a fresh database).
    if (error.code !== NOTHING_TO_REVOKE)
      throw new Error(`npm run admin -- revoke-agent --name ${name} failed: ${error.stderr || error.message}`);
  });
  const { stdout } = await admin(["issue-agent", "--name", name], databaseUrl).catch((error: Failure) => {
    throw new Error(`npm run admin -- issue-agent --name ${name} failed: ${error.stderr || error.message}`);
  });
  const credential = stdout.trim().split(/\s+/).pop();
  if (!credential) throw new Error(`npm run admin -- issue-agent --name ${name} printed no credential`);
  return credential;
}
