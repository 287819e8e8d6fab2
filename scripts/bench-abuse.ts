/**
 * `npm run bench:abuse`: escape attempts and resource bombs against real
 * rootless sandboxes (apps/sandbox-agent/src/testing/abuse.ts), with a
 * neighbour sandbox's keystroke echo measured during each bomb. Every network
 * target is an address of this machine. Each echo p99 is also given as a
 * ratio to the same run's plain Docker baseline (scripts/lib/baseline.ts):
 * one byte through a running `docker exec -i … cat`, the counterpart of a
 * keystroke's echo through the agent's long-lived exec of tmux, measured
 * before and after the bombs. Its agent's fleet starts with $BENCH_FLEET
 * (default bench-abuse). Last line: one JSON object.
 */
import { blocked, echoLatencies, hostAttempts, type NetworkTargets, networkTargets, p99 } from "../apps/sandbox-agent/src/testing/abuse";
import { startAgentHarness } from "../apps/sandbox-agent/src/testing/agent-harness";
import { ratios, startBaseline } from "./lib/baseline";

const progress = (event: string, fields: Record<string, unknown> = {}) => console.error(JSON.stringify({ event, ...fields }));
const round = (value: number) => Math.round(value * 10) / 10;

const FLEET = process.env.BENCH_FLEET ?? "bench-abuse";
const baseline = await startBaseline({ fleet: FLEET, samples: { echo: 100 } });
const harness = await startAgentHarness({
  isolation: "rootless",
  memoryBytes: 512 * 1024 * 1024,
  pidsLimit: 512,
  diskBytes: 1024 ** 3,
  fleetPrefix: FLEET,
}).catch(async (error: unknown) => {
  await baseline.close();
  throw error;
});
let network: NetworkTargets | undefined;
try {
  await baseline.measure("before");
  const [attacker, neighbour] = await Promise.all([harness.createSandbox("attacker"), harness.createSandbox("neighbour")]);
  network = await networkTargets(harness, neighbour);
  const attempts = [...hostAttempts("bench-abuse"), ...network.attempts];
  let escapesBlocked = 0;
  for (const attempt of attempts) {
    const wasBlocked = await blocked(harness, attacker, attempt);
    if (wasBlocked) escapesBlocked++;
    progress("escape", { attempt: attempt.name, blocked: wasBlocked });
  }

  await harness.driver.exec(attacker, ["docker", "pull", "-q", "debian:bookworm-slim"]);
  const bombs = {
    fork: "b(){ b|b& }; b",
    memory: "docker run --rm debian:bookworm-slim sh -c 'tail /dev/zero'",
    // Fills the sandbox's 1 GiB data disk to "no space left on device", then frees it.
    disk: "dd if=/dev/zero of=/var/lib/docker/bench-fill bs=1M conv=fsync 2>/dev/null; rm -f /var/lib/docker/bench-fill",
    cpu: "for i in 1 2 3 4; do sh -c 'while :; do :; done' & done; wait",
  };
  const neighbourEchoP99Ms: Record<string, number> = {};
  let target = attacker;
  for (const [name, script] of Object.entries(bombs)) {
    const during = harness.driver
      .exec(target, ["bash", "-c", `timeout -s KILL 10 bash -c ${JSON.stringify(script)}; true`])
      .catch(() => {});
    neighbourEchoP99Ms[name] = round(p99(await echoLatencies(harness, neighbour, during)));
    progress("bomb", { bomb: name, neighbourEchoP99Ms: neighbourEchoP99Ms[name] });
    // A fork bomb's survivors go with their sandbox; the next bomb gets a fresh one.
    await harness.driver.destroy(target);
    target = await harness.createSandbox("attacker");
    await harness.driver.exec(target, ["docker", "pull", "-q", "debian:bookworm-slim"]);
  }
  await baseline.measure("after");
  const baselineMs = baseline.report();
  console.log(
    JSON.stringify({
      neighbourEchoP99Ms,
      escapesBlocked,
      escapesTried: attempts.length,
      baselineMs,
      neighbourEchoP99Ratio: ratios(neighbourEchoP99Ms, baselineMs.echo),
    }),
  );
} finally {
  await network?.close();
  await harness.close();
  await baseline.close();
}
