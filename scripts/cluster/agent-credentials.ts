/**
 * The one place the cluster asks the operator's tool for agents'
 * credentials (`npm run admin -- issue-agent --name NAME`, and
 * `revoke-agent`), so the agents dial the control plane as an operator's
 * would. The credential is the last word the tool prints on stdout.
 *
 * While the admin tool has no such command (it answers bad usage, exit 2),
 * registration is unavailable: the agents run without CONTROL_PLANE_URL and
 * the web nodes reach the first agent by AGENT_URL, as one machine does today.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "../..");
const ADMIN = join(ROOT, "scripts/admin.ts");
const BAD_USAGE = 2;

type Failure = Error & { code?: number; stderr?: string };

function admin(args: string[], databaseUrl: string) {
  return run(process.execPath, ["--import", "tsx", ADMIN, ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl } });
}

/**
 * Issues a fresh credential for the agent `name` (revoking any earlier one
 * of that name, from a previous run on the same database); undefined when the
 * admin tool cannot issue agent credentials.
 */
export async function issueAgentCredential(name: string, databaseUrl: string): Promise<string | undefined> {
  await admin(["revoke-agent", "--name", name], databaseUrl).catch((error: Failure) => {
    // Nothing to revoke is the usual case; bad usage shows below, when issuing.
    if (error.code !== 1 && error.code !== BAD_USAGE) throw error;
  });
  try {
    const { stdout } = await admin(["issue-agent", "--name", name], databaseUrl);
    const credential = stdout.trim().split(/\s+/).pop();
    if (!credential) throw new Error(`npm run admin -- issue-agent --name ${name} printed no credential`);
    return credential;
  } catch (error) {
    const failure = error as Failure;
    if (failure.code === BAD_USAGE) return undefined;
    throw new Error(`npm run admin -- issue-agent --name ${name} failed: ${failure.stderr || failure.message}`);
  }
}
