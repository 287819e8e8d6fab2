/**
 * `npm run bench:flood`: the start budget under a flood. A real Drydock (web
 * app and agent, scripts/serve.sh) runs with the limits on; a learner is
 * working (a terminal through the web app, keystroke echo measured while
 * idle); then 200 anonymous start requests (no cookie) hit /api/sessions at
 * once while the learner keeps typing.
 * Reports the sandboxes alive after the flood against the capacity (never
 * above it), the count of each answer status, and the learner's echo during
 * the flood (from its first request until every answer is in, the admitted
 * starts' once their sandbox is ready; at least 50 keystrokes) against
 * before it (target: p99 within 2x).
 * Baseline, in the same run: the echo while as many sandboxes start as the
 * flood got admitted, asked for politely one each (no flood), so the flood's
 * own cost (`floodOverheadP99Ratio`) shows apart from that of the starts the
 * capacity lets through.
 * Last line: one JSON object. Everything it starts is removed.
 */
import { request } from "node:http";
import { fleetSandboxes, startDrydock, waitUntil } from "./lib/drydock-server";
import { percentile } from "./lib/stats";
import { type EchoProbe, openEchoProbe } from "./lib/terminal-echo";

const FLOOD = Number(process.env.BENCH_FLOOD_REQUESTS ?? 200);
const CAPACITY = Number(process.env.BENCH_FLOOD_CAPACITY ?? 4);
const STARTS_PER_MINUTE = Number(process.env.BENCH_FLOOD_STARTS_PER_MINUTE ?? 20);
/** The flood and the learner come from 127.0.0.1; the baseline's polite learners from another loopback address, as others would. */
const POLITE_ADDRESS = "127.0.0.2";
/** About as many as the flood phase takes, so the two p99s are read from samples of one size (from 200, the idle p99 was the second-worst keystroke and swung 3–7.5 ms from run to run). */
const IDLE_KEYSTROKES = Number(process.env.BENCH_KEYSTROKES ?? 1000);
const webPort = Number(process.env.BENCH_WEB_PORT ?? 3300);
const agentPort = Number(process.env.BENCH_AGENT_PORT ?? webPort + 1100);
const fleet = process.env.BENCH_FLEET ?? "bench-flood";

const round = (value: number) => Math.round(value * 100) / 100;
const summary = (samples: number[]) => ({
  p50: round(percentile(samples, 50)),
  p99: round(percentile(samples, 99)),
  keystrokes: samples.length,
});

type Started = { status: number; id?: string; cookie?: string };

function requestStart(localAddress = "127.0.0.1"): Promise<Started> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(drydock.base);
    const asked = request({ host: hostname, port, localAddress, method: "POST", path: "/api/sessions" }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { id?: string };
        resolve({ status: response.statusCode ?? 0, id: body.id, cookie: response.headers["set-cookie"]?.[0]?.split(";")[0] });
      });
      response.on("error", reject);
    });
    asked.on("error", reject);
    asked.end();
  });
}

/** The learner types while `work` runs, and until at least 50 keystrokes are in. */
async function echoWhile<T>(learner: EchoProbe, work: Promise<T>): Promise<{ samples: number[]; result: T; ms: number }> {
  const started = performance.now();
  let over = false;
  const watched = work.finally(() => {
    over = true;
  });
  const samples: number[] = [];
  while (!over || samples.length < 50) samples.push(await learner.echo());
  const result = await watched;
  return { samples, result, ms: performance.now() - started };
}

async function endSessions(sessions: Started[]): Promise<void> {
  for (const { id, cookie } of sessions) {
    if (id && cookie) await fetch(`${drydock.base}/api/sessions/${id}`, { method: "DELETE", headers: { cookie } });
  }
}

const drydock = await startDrydock({
  webPort,
  agentPort,
  fleet,
  // No warm pool: every sandbox of the fleet is then a learner's, and the count after the flood is the live sessions'.
  env: { POOL_SIZE: "0", MAX_LIVE_SANDBOXES: String(CAPACITY), STARTS_PER_ADDRESS_PER_MINUTE: String(STARTS_PER_MINUTE) },
});
try {
  const learnerStart = await requestStart();
  if (learnerStart.status !== 201 || !learnerStart.id) throw new Error(`The learner's start answered ${learnerStart.status}`);
  const learner = await openEchoProbe(drydock.base, learnerStart.id, learnerStart.cookie ?? "");

  const idle: number[] = [];
  for (let i = 0; i < IDLE_KEYSTROKES; i++) idle.push(await learner.echo());

  const flood = await echoWhile(
    learner,
    Promise.all(Array.from({ length: FLOOD }, () => requestStart().catch((): Started => ({ status: 0 })))),
  );
  const alive = (await fleetSandboxes(fleet)).length;
  const statuses: Record<string, number> = {};
  for (const { status } of flood.result) statuses[status || "unanswered"] = (statuses[status || "unanswered"] ?? 0) + 1;
  const admitted = flood.result.filter((started) => started.status === 201);

  await endSessions(admitted);
  await waitUntil("the flood's sandboxes are removed", async () => (await fleetSandboxes(fleet)).length === 1);
  const baseline = await echoWhile(learner, Promise.all(admitted.map(() => requestStart(POLITE_ADDRESS))));
  const refused = baseline.result.find((started) => started.status !== 201);
  if (refused) throw new Error(`A baseline start was refused (${refused.status})`);
  await endSessions(baseline.result);
  learner.close();

  const idleEcho = summary(idle);
  const floodEcho = summary(flood.samples);
  const baselineEcho = summary(baseline.samples);
  console.log(
    JSON.stringify({
      capacity: CAPACITY,
      startsPerAddressPerMinute: STARTS_PER_MINUTE,
      sandboxesAliveAfterFlood: alive,
      withinCapacity: alive <= CAPACITY,
      flood: { requests: FLOOD, statuses, ms: Math.round(flood.ms) },
      echoIdleMs: idleEcho,
      echoDuringFloodMs: floodEcho,
      echoP99Ratio: round(floodEcho.p99 / idleEcho.p99),
      echoDuringSameStartsWithoutFloodMs: baselineEcho,
      floodOverheadP99Ratio: round(floodEcho.p99 / baselineEcho.p99),
    }),
  );
} finally {
  await drydock.stop();
}
