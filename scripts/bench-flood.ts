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
 * Last line: one JSON object. Everything it starts is removed.
 */
import { fleetSandboxes, startDrydock } from "./lib/drydock-server";
import { percentile } from "./lib/stats";
import { openEchoProbe } from "./lib/terminal-echo";

const FLOOD = Number(process.env.BENCH_FLOOD_REQUESTS ?? 200);
const CAPACITY = Number(process.env.BENCH_FLOOD_CAPACITY ?? 4);
const STARTS_PER_MINUTE = Number(process.env.BENCH_FLOOD_STARTS_PER_MINUTE ?? 20);
const IDLE_KEYSTROKES = Number(process.env.BENCH_KEYSTROKES ?? 200);
const webPort = Number(process.env.BENCH_WEB_PORT ?? 3300);
const fleet = process.env.BENCH_FLEET ?? "bench-flood";

const round = (value: number) => Math.round(value * 100) / 100;
const summary = (samples: number[]) => ({
  p50: round(percentile(samples, 50)),
  p99: round(percentile(samples, 99)),
  keystrokes: samples.length,
});

const drydock = await startDrydock({
  webPort,
  agentPort: webPort + 1100,
  fleet,
  // No warm pool: every sandbox of the fleet is then a learner's, and the count after the flood is the live sessions'.
  env: { POOL_SIZE: "0", MAX_LIVE_SANDBOXES: String(CAPACITY), STARTS_PER_ADDRESS_PER_MINUTE: String(STARTS_PER_MINUTE) },
});
try {
  const learnerStart = await fetch(`${drydock.base}/api/sessions`, { method: "POST" });
  if (learnerStart.status !== 201) throw new Error(`The learner's start answered ${learnerStart.status}: ${await learnerStart.text()}`);
  const { id: sessionId } = (await learnerStart.json()) as { id: string };
  const cookie = learnerStart.headers.get("set-cookie")?.split(";")[0] ?? "";
  const learner = await openEchoProbe(drydock.base, sessionId, cookie);

  const idle: number[] = [];
  for (let i = 0; i < IDLE_KEYSTROKES; i++) idle.push(await learner.echo());

  const statuses: Record<string, number> = {};
  const floodStarted = performance.now();
  let floodOver = false;
  const flood = Promise.all(
    Array.from({ length: FLOOD }, () =>
      fetch(`${drydock.base}/api/sessions`, { method: "POST" }).then(
        async (response) => {
          await response.arrayBuffer();
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        },
        () => {
          statuses.unanswered = (statuses.unanswered ?? 0) + 1;
        },
      ),
    ),
  ).finally(() => {
    floodOver = true;
  });
  // The learner keeps typing until every flood request has its answer (the admitted ones once their sandbox is ready).
  const during: number[] = [];
  while (!floodOver || during.length < 50) during.push(await learner.echo());
  await flood;
  const floodMs = performance.now() - floodStarted;
  const alive = (await fleetSandboxes(fleet)).length;
  learner.close();

  const idleEcho = summary(idle);
  const floodEcho = summary(during);
  console.log(
    JSON.stringify({
      capacity: CAPACITY,
      startsPerAddressPerMinute: STARTS_PER_MINUTE,
      sandboxesAliveAfterFlood: alive,
      withinCapacity: alive <= CAPACITY,
      flood: { requests: FLOOD, statuses, ms: Math.round(floodMs) },
      echoIdleMs: idleEcho,
      echoDuringFloodMs: floodEcho,
      echoP99Ratio: round(floodEcho.p99 / idleEcho.p99),
    }),
  );
} finally {
  await drydock.stop();
}
