/**
 * `npm run admin -- <command>`: the operator's tool for instructor accounts and sandbox hosts' agents.
 *
 *   create-instructor --email EMAIL --name NAME [--password-stdin]
 *   list-instructors [--json]
 *   reset-password --email EMAIL [--password-stdin]   (also signs the instructor out everywhere)
 *   issue-agent --name NAME     (prints the agent's credential, once)
 *   revoke-agent --name NAME
 *   list-agents [--json]
 *
 * The database is the web app's (DATABASE_URL, or .drydock/drydock.db), migrated
 * first if it needs it. Exit status 0 on success, 1 when refused (the reason on
 * stderr), 2 on bad usage.
 */
import { issueAgent, listAgents, revokeAgent } from "../apps/web/src/server/agents/agent-registry";
import { openDatabase } from "../apps/web/src/server/db";
import { HttpError } from "../apps/web/src/server/http/http-error";
import { createInstructor, listInstructors, resetPassword } from "../apps/web/src/server/instructors/instructor-accounts";
import { resolveDatabaseUrl } from "../prisma/database-url";
import { migrateDatabase } from "../prisma/migrate";
import { runAsCli } from "../prisma/run-as-cli";
import { ADMIN_USAGE, type AdminCommand, parseAdminArgs, UsageError } from "./admin-args";
import { readNewPassword } from "./lib/read-password";

async function run(command: Exclude<AdminCommand, { command: "help" }>): Promise<void> {
  const url = resolveDatabaseUrl();
  await migrateDatabase(url);
  const db = openDatabase(url);
  try {
    switch (command.command) {
      case "create-instructor": {
        const password = await readNewPassword(command.passwordStdin);
        const made = await createInstructor(db, { email: command.email, name: command.name, password });
        process.stdout.write(`Created instructor ${made.name} <${made.email}> (${made.id}). They sign in at /instructor/login.\n`);
        return;
      }
      case "list-instructors": {
        const instructors = await listInstructors(db);
        if (command.json) {
          process.stdout.write(`${JSON.stringify(instructors)}\n`);
          return;
        }
        if (instructors.length === 0) {
          process.stdout.write(
            "No instructors yet: create one with npm run admin -- create-instructor, or on the page /instructor/setup.\n",
          );
          return;
        }
        for (const row of instructors)
          process.stdout.write(`${row.email}\t${row.name}\t${row.workshops} workshop(s)\tsince ${row.createdAt.toISOString()}\n`);
        return;
      }
      case "issue-agent": {
        const issued = await issueAgent(db, command.name);
        process.stderr.write(
          `Issued a credential for agent ${issued.name}. It is shown only now: run that machine's agent with\n` +
            "  CONTROL_PLANE_URL=<the web's base URL> DRYDOCK_AGENT_CREDENTIAL=<the line below>\n",
        );
        process.stdout.write(`${issued.credential}\n`);
        return;
      }
      case "revoke-agent": {
        await revokeAgent(db, command.name);
        process.stdout.write(`Revoked agent ${command.name}: its heartbeats are refused; its learners are moved to other machines.\n`);
        return;
      }
      case "list-agents": {
        const agents = await listAgents(db);
        if (command.json) {
          process.stdout.write(`${JSON.stringify(agents)}\n`);
          return;
        }
        if (agents.length === 0) {
          process.stdout.write(
            "No agents registered: sandboxes go to AGENT_URL (one machine). Register one with issue-agent --name NAME.\n",
          );
          return;
        }
        for (const row of agents) {
          const state = row.revoked ? "revoked" : row.state;
          const labels = Object.entries(row.labels)
            .map(([key, value]) => `${key}=${value}`)
            .join(",");
          process.stdout.write(
            `${row.name}\t${state}\t${row.publicUrl ?? "-"}\t${row.placed}/${row.maxSandboxes} placed\t${row.readySeats} ready\t${labels || "-"}\tlast heartbeat ${row.lastHeartbeatAt?.toISOString() ?? "never"}\n`,
          );
        }
        return;
      }
      case "reset-password": {
        const password = await readNewPassword(command.passwordStdin);
        const changed = await resetPassword(db, command.email, password);
        process.stdout.write(`New password set for ${changed.name} <${changed.email}>; their open sessions are signed out.\n`);
        return;
      }
    }
  } finally {
    await db.$disconnect();
  }
}

export async function main(argv: string[]): Promise<number> {
  let command: AdminCommand;
  try {
    command = parseAdminArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${ADMIN_USAGE}\n`);
    return 2;
  }
  if (command.command === "help") {
    process.stdout.write(`${ADMIN_USAGE}\n`);
    return 0;
  }
  try {
    await run(command);
    return 0;
  } catch (error) {
    if (error instanceof HttpError || error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      return error instanceof UsageError ? 2 : 1;
    }
    throw error;
  }
}

runAsCli(import.meta.url, main);
