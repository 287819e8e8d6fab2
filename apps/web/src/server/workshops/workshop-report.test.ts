import { describe, expect, it } from "vitest";
import { buildWorkshopReport, type ReportInput, reportCsv, reportFileName } from "./workshop-report";

const at = (minute: number) => new Date(Date.UTC(2026, 10, 27, 9, minute));

const lessons: ReportInput["lessons"] = [
  {
    id: "commit-a-container",
    title: "Commit a container",
    steps: [
      { id: "run", title: "Run it" },
      { id: "commit", title: "Commit it" },
    ],
  },
  { id: "dockerfile", title: "A Dockerfile", steps: [{ id: "build", title: "Build, tag" }] },
];

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    workshop: { id: "wks_1", title: "Docker 101", endedAt: null },
    lessons,
    seats: [
      {
        id: "seat_b",
        name: "Grace",
        joinedAt: at(0),
        steps: [
          { lessonId: "commit-a-container", stepId: "run", enteredAt: at(1), passedAt: at(4) },
          { lessonId: "commit-a-container", stepId: "commit", enteredAt: at(4), passedAt: null },
        ],
        progress: [],
        checks: [
          { lessonId: "commit-a-container", stepId: "run", passed: false },
          { lessonId: "commit-a-container", stepId: "run", passed: false },
          { lessonId: "commit-a-container", stepId: "run", passed: true },
          { lessonId: "commit-a-container", stepId: "commit", passed: false },
        ],
        helpRequests: 2,
      },
      {
        id: "seat_a",
        name: "Ada",
        joinedAt: at(0),
        steps: [{ lessonId: "commit-a-container", stepId: "run", enteredAt: at(2), passedAt: null }],
        progress: [{ lessonId: "commit-a-container", stepId: "run", passedAt: at(3) }],
        checks: [{ lessonId: "commit-a-container", stepId: "run", passed: true }],
        helpRequests: 0,
      },
    ],
    now: at(30),
    ...overrides,
  };
}

describe("the workshop report", () => {
  it("has a row per attendee per step, attendees by name, steps in the workshop's lesson order", () => {
    const { rows } = buildWorkshopReport(input());
    expect(rows.map((row) => [row.attendee, row.lessonId, row.stepNumber, row.stepId])).toEqual([
      ["Ada", "commit-a-container", 1, "run"],
      ["Ada", "commit-a-container", 2, "commit"],
      ["Ada", "dockerfile", 1, "build"],
      ["Grace", "commit-a-container", 1, "run"],
      ["Grace", "commit-a-container", 2, "commit"],
      ["Grace", "dockerfile", 1, "build"],
    ]);
  });

  it("counts attempts and failed attempts, and the time from entering a step to passing it", () => {
    const grace = buildWorkshopReport(input()).rows.filter((row) => row.attendee === "Grace");
    expect(grace[0]).toMatchObject({
      enteredAt: at(1).toISOString(),
      passedAt: at(4).toISOString(),
      attempts: 3,
      failedAttempts: 2,
      secondsOnStep: 180,
      attendeeHelpRequests: 2,
    });
  });

  it("times a step not passed until now while the workshop runs, and until its end once it ended", () => {
    const running = buildWorkshopReport(input()).rows.find((row) => row.attendee === "Grace" && row.stepId === "commit");
    expect(running).toMatchObject({ passedAt: null, attempts: 1, failedAttempts: 1, secondsOnStep: 26 * 60 });
    const ended = buildWorkshopReport(input({ workshop: { id: "wks_1", title: "Docker 101", endedAt: at(10) } }));
    expect(ended.rows.find((row) => row.attendee === "Grace" && row.stepId === "commit")?.secondsOnStep).toBe(6 * 60);
    expect(ended.workshop.endedAt).toBe(at(10).toISOString());
  });

  it("takes a pass from the attendee's progress when the step's row has none", () => {
    const ada = buildWorkshopReport(input()).rows.find((row) => row.attendee === "Ada" && row.stepId === "run");
    expect(ada).toMatchObject({ passedAt: at(3).toISOString(), secondsOnStep: 60, attempts: 1, failedAttempts: 0 });
  });

  it("leaves a step not reached empty: no entry, no pass, no time", () => {
    const row = buildWorkshopReport(input()).rows.find((candidate) => candidate.attendee === "Ada" && candidate.stepId === "build");
    expect(row).toMatchObject({
      enteredAt: null,
      passedAt: null,
      attempts: 0,
      failedAttempts: 0,
      secondsOnStep: null,
      attendeeHelpRequests: 0,
    });
  });

  it("writes the rows as CSV with a heading line, names defused and quoted", () => {
    const [grace] = input().seats;
    if (!grace) throw new Error("the fixture has seats");
    const report = buildWorkshopReport(input({ seats: [{ ...grace, name: '=cmd|" /C calc"!A0' }] }));
    const lines = reportCsv(report).split("\r\n");
    expect(lines[0]).toBe(
      "attendee,lesson,step number,step,entered at,passed at,attempts,failed attempts,seconds on step,help requests (attendee total),lesson id,step id,seat id",
    );
    expect(lines[1]).toBe(
      `"'=cmd|"" /C calc""!A0",Commit a container,1,Run it,${at(1).toISOString()},${at(4).toISOString()},3,2,180,2,commit-a-container,run,seat_b`,
    );
    expect(lines[3]).toBe(`"'=cmd|"" /C calc""!A0",A Dockerfile,1,"Build, tag",,,0,0,,2,dockerfile,build,seat_b`);
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe("");
  });

  it("names the download after the workshop, with nothing a header or a file system could trip on", () => {
    expect(reportFileName("Docker 101: Café edition", "csv")).toBe("docker-101-cafe-edition-report.csv");
    expect(reportFileName('../../"evil"\r\nSet-Cookie: x', "json")).toBe("evil-set-cookie-x-report.json");
    expect(reportFileName("日本語", "csv")).toBe("workshop-report.csv");
    expect(reportFileName("a".repeat(200), "csv")).toBe(`${"a".repeat(60)}-report.csv`);
  });
});
