import { describe, expect, it } from "vitest";
import { InotifyParser } from "./inotify-events";

const ws = "/root/lab";
const pair = (flags: string, path: string) => `${flags}\0${path}\0`;

describe("reading inotifywait's output", () => {
  it("maps inotify events to created, changed and deleted, with the entry's type", () => {
    const parser = new InotifyParser(ws);
    const output = [
      pair("CREATE", "/root/lab/a.txt"),
      pair("MODIFY", "/root/lab/a.txt"),
      pair("CLOSE_WRITE,CLOSE", "/root/lab/a.txt"),
      pair("CREATE,ISDIR", "/root/lab/src"),
      pair("MOVED_FROM", "/root/lab/a.txt"),
      pair("MOVED_TO", "/root/lab/src/b.txt"),
      pair("DELETE,ISDIR", "/root/lab/old"),
    ].join("");
    expect(parser.push(output)).toEqual([
      { path: "a.txt", kind: "created", type: "file" },
      { path: "a.txt", kind: "changed", type: "file" },
      { path: "a.txt", kind: "changed", type: "file" },
      { path: "src", kind: "created", type: "dir" },
      { path: "a.txt", kind: "deleted", type: "file" },
      { path: "src/b.txt", kind: "created", type: "file" },
      { path: "old", kind: "deleted", type: "dir" },
    ]);
  });

  it("copes with chunks that split a pair anywhere, and with any byte but NUL in names", () => {
    const parser = new InotifyParser(ws);
    const output = pair("CREATE", "/root/lab/new\nline\tand tab 🐳") + pair("DELETE", "/root/lab/x");
    const events = [];
    for (const chunk of [output.slice(0, 3), output.slice(3, 20), output.slice(20, 41), output.slice(41)])
      events.push(...parser.push(chunk));
    expect(events).toEqual([
      { path: "new\nline\tand tab 🐳", kind: "created", type: "file" },
      { path: "x", kind: "deleted", type: "file" },
    ]);
  });

  it("ignores events outside the workspace, on the workspace itself, and those it does not report", () => {
    const parser = new InotifyParser(ws);
    expect(parser.push(pair("CREATE", "/root/labx/a") + pair("DELETE_SELF", "/root/lab/") + pair("OPEN", "/root/lab/a"))).toEqual([]);
  });
});
