import { describe, expect, it } from "vitest";
import { parseLessonsArgs, UsageError } from "./lessons-args";

describe("parseLessonsArgs", () => {
  it("reads check with and without a folder", () => {
    expect(parseLessonsArgs(["check"])).toEqual({ command: "check", dir: undefined });
    expect(parseLessonsArgs(["check", "my-lessons"])).toEqual({ command: "check", dir: "my-lessons" });
  });

  it("reads test's flags in any order, around the lesson ids", () => {
    expect(parseLessonsArgs(["test", "flask-pizza", "--jobs", "3", "--dir=lessons", "--transcripts", "out", "commit-a-container"])).toEqual(
      {
        command: "test",
        dir: "lessons",
        jobs: 3,
        transcripts: "out",
        ids: ["flask-pizza", "commit-a-container"],
      },
    );
    expect(parseLessonsArgs(["test"])).toEqual({ command: "test", dir: undefined, jobs: 1, transcripts: undefined, ids: [] });
  });

  it("reads import-killercoda's two folders", () => {
    expect(parseLessonsArgs(["import-killercoda", "scenario", "out"])).toEqual({
      command: "import-killercoda",
      scenario: "scenario",
      out: "out",
    });
  });

  it("answers --help anywhere with the usage", () => {
    for (const argv of [["--help"], ["-h"], ["help"], ["test", "--help"], ["check", "-h"]])
      expect(parseLessonsArgs(argv)).toEqual({ command: "help" });
  });

  it.each([
    [[], /Name a command/],
    [["lint"], /Unknown command "lint"/],
    [["test", "--job", "2"], /Unknown option '--job'/],
    [["check", "--dir", "x"], /Unknown option '--dir'/],
    [["test", "--jobs"], /'--jobs <value>' argument missing/],
    [["test", "--jobs", "two"], /--jobs takes a whole number of 1 or more; got "two"/],
    [["test", "--jobs", "0"], /--jobs takes a whole number/],
    [["check", "a", "b"], /one folder at most/],
    [["import-killercoda", "scenario"], /exactly two folders/],
    [["import-killercoda", "a", "b", "c"], /exactly two folders/],
  ])("refuses %j with a message that says what is wrong", (argv, message) => {
    expect(() => parseLessonsArgs(argv)).toThrow(UsageError);
    expect(() => parseLessonsArgs(argv)).toThrow(message);
  });
});
