import { describe, expect, it } from "vitest";
import { currentLine, renderLine, renderText, tail } from "./terminal-text";

describe("terminal text", () => {
  it("drops colours, bracketed-paste switches and window titles", () => {
    expect(renderLine("\x1b[?2004h\x1b[1;32mroot@sandbox\x1b[0m:\x1b[1;34m~/lab\x1b[0m# ")).toBe("root@sandbox:~/lab# ");
    expect(renderLine("\x1b]0;root@sandbox: ~\x07root@sandbox:~# ")).toBe("root@sandbox:~# ");
  });

  it("applies carriage returns and erase-line like a screen does", () => {
    expect(renderLine("0% [Working]\r            \rGet:1 http://deb.debian.org bookworm InRelease")).toBe(
      "Get:1 http://deb.debian.org bookworm InRelease",
    );
    expect(renderLine("Reading package lists... 94%\r\rReading package lists... Done\r\r")).toBe("Reading package lists... Done");
    expect(renderLine("Progress: 100% done here\r\x1b[Kroot@3f2a:/# ")).toBe("root@3f2a:/# ");
    expect(renderLine("root@3f2a:/# \r\x1b[K\rroot@3f2a:/# ")).toBe("root@3f2a:/# ");
    expect(renderLine("abc\x08\x08X")).toBe("aXc");
  });

  it("finds the cursor's line and the last lines", () => {
    const raw = "docker ps\r\n\x1b[?2004l\rCONTAINER ID   IMAGE\r\n\x1b[?2004h\x1b[1;32mroot@sandbox\x1b[0m:~/lab# ";
    expect(currentLine(raw)).toBe("root@sandbox:~/lab# ");
    expect(renderText(raw)).toBe("docker ps\nCONTAINER ID   IMAGE\nroot@sandbox:~/lab#");
    expect(tail(raw, 2)).toBe("CONTAINER ID   IMAGE\nroot@sandbox:~/lab#");
  });
});
