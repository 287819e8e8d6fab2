import { describe, expect, it } from "vitest";
import { CommandEnds, ShellMarkReader } from "./shell-marks";

const bytes = (text: string) => Buffer.from(text, "latin1");
const mark = (body: string) => `\x1b]133;${body}\x07`;
/** A prompt cycle as the shell integration writes it: the end of the last command, then a prompt. */
const prompt = (exit?: number) => `${exit === undefined ? "" : mark(`D;${exit}`)}${mark("A")}root@sandbox:~/lab$ ${mark("B")}`;

describe("reading shell marks from a terminal stream", () => {
  it("reads every OSC 133 mark, ended by BEL or ST, and nothing else", () => {
    const reader = new ShellMarkReader();
    const stream = `\x1b[1;32mhello\x1b[0m${mark("A")}$ \x1b]133;B\x1b\\ls\r\n${mark("C")}file\r\n\x1b]0;title\x07${mark("D;2")}`;
    expect(reader.read(bytes(stream))).toEqual([
      { kind: "prompt-start" },
      { kind: "command-line" },
      { kind: "command-runs" },
      { kind: "command-ended", exitCode: 2 },
    ]);
  });

  it("completes a mark split across chunks, at every possible split", () => {
    const stream = bytes(`out${mark("C")}more${mark("D;127")}tail`);
    for (let split = 0; split <= stream.length; split++) {
      const reader = new ShellMarkReader();
      const marks = [...reader.read(stream.subarray(0, split)), ...reader.read(stream.subarray(split))];
      expect(marks, `split at ${split}`).toEqual([{ kind: "command-runs" }, { kind: "command-ended", exitCode: 127 }]);
    }
  });

  it("reads marks fed one byte at a time", () => {
    const reader = new ShellMarkReader();
    const marks = [...bytes(prompt(0) + prompt(1))].flatMap((byte) => reader.read(Uint8Array.of(byte)));
    expect(marks.filter((m) => m.kind === "command-ended")).toEqual([
      { kind: "command-ended", exitCode: 0 },
      { kind: "command-ended", exitCode: 1 },
    ]);
  });

  it("drops a mark cut off by another escape sequence, and one that never ends, without holding its bytes", () => {
    const reader = new ShellMarkReader();
    expect(reader.read(bytes(`\x1b]133;D;1\x1b[0m${mark("A")}`))).toEqual([{ kind: "prompt-start" }]);
    expect(reader.read(bytes(`\x1b]133;D;${"9".repeat(5000)}${mark("C")}`))).toEqual([{ kind: "command-runs" }]);
    expect(reader.read(bytes(`\x1b]133;D;${"9".repeat(5000)}`))).toEqual([]);
    expect(reader.read(bytes(`x${mark("B")}`))).toEqual([{ kind: "command-line" }]);
  });

  it("ignores other OSCs, unknown marks and a D without a status", () => {
    const reader = new ShellMarkReader();
    expect(reader.read(bytes(`\x1b]1337;x\x07\x1b]13;A\x07${mark("P;k=i")}${mark("D")}${mark("D;x")}`))).toEqual([
      { kind: "command-ended" },
      { kind: "command-ended" },
    ]);
  });
});

describe("commands ended in the learner's terminal", () => {
  it("reports the exit status of each command that ran, in order", () => {
    const ends = new CommandEnds();
    const run = (command: string, exit: number) => `${command}\r\n${mark("C")}output\r\n${prompt(exit)}`;
    expect(ends.read(bytes(prompt()))).toEqual([]);
    expect(ends.read(bytes(run("false", 1) + run("true", 0)))).toEqual([{ exitCode: 1 }, { exitCode: 0 }]);
    expect(ends.read(bytes(run("(exit 3)", 3)))).toEqual([{ exitCode: 3 }]);
  });

  it("reports the command line the shell sent with its C mark, decoded as UTF-8", () => {
    const ends = new CommandEnds();
    const line = 'docker build -t "héllo" . ; echo 100%';
    const encoded = encodeURIComponent(line);
    expect(ends.read(bytes(`${mark(`C;cmdline_url=${encoded}`)}out\r\n${prompt(1)}`))).toEqual([{ exitCode: 1, command: line }]);
    // Not sent, or not decodable: the status alone.
    expect(ends.read(bytes(`${mark("C;cmdline_url=%E9%")}${prompt(2)}${mark("C")}${prompt(0)}`))).toEqual([
      { exitCode: 2 },
      { exitCode: 0 },
    ]);
  });

  it("reports nothing for an empty line at the prompt (a D without a C)", () => {
    const ends = new CommandEnds();
    expect(ends.read(bytes(`${prompt()}\r\n${prompt(3)}\r\n${prompt(3)}`))).toEqual([]);
  });
});
