import { randomBytes } from "node:crypto";
import { LABEL } from "@drydock/engine";
import Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { startBaseline } from "./baseline";

const docker = new Docker();

describe("startBaseline against the real engine", () => {
  it("measures plain runs, execs and echoes in each phase, and removes what it made", async () => {
    const fleet = `baseline-test-${randomBytes(3).toString("hex")}`;
    const ours = { label: [`${LABEL.fleet}=${fleet}`] };
    const baseline = await startBaseline({ fleet, samples: { run: 2, exec: 3, echo: 5 } });
    try {
      // The exec target: one tiny container, labelled as the project's.
      const targets = await docker.listContainers({ filters: ours });
      expect(targets).toHaveLength(1);
      expect(targets[0]?.Labels[LABEL.managed]).toBe("true");

      await baseline.measure("before");
      await baseline.measure("after");
      const report = baseline.report();
      expect(Object.keys(report).sort()).toEqual(["echo", "exec", "run"]);
      expect(report.run).toMatchObject({ samples: 4 });
      expect(report.exec).toMatchObject({ samples: 6 });
      expect(report.echo).toMatchObject({ samples: 10 });
      for (const figure of Object.values(report)) {
        expect(figure.p50).toBeGreaterThan(0);
        expect(figure.before).toBeGreaterThan(0);
        expect(figure.after).toBeGreaterThan(0);
      }
      // A plain run creates, starts and removes a container: never as quick as one byte through a running exec.
      expect(report.run?.p50).toBeGreaterThan(report.echo?.p50 ?? Number.POSITIVE_INFINITY);
    } finally {
      await baseline.close();
    }
    expect(await docker.listContainers({ all: true, filters: ours })).toEqual([]);
  });
});
