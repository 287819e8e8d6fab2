import { describe, expect, it } from "vitest";
import { currentLine, renderText, Screen, tail } from "./terminal-text";

describe("terminal text", () => {
  it("drops colours, bracketed-paste switches and window titles", () => {
    expect(renderText("\x1b[?2004h\x1b[1;32mroot@sandbox\x1b[0m:\x1b[1;34m~/lab\x1b[0m# ")).toBe("root@sandbox:~/lab#");
    expect(currentLine("\x1b]0;root@sandbox: ~\x07root@sandbox:~# ")).toBe("root@sandbox:~# ");
  });

  it("applies carriage returns, backspaces and erase-line like a screen does", () => {
    expect(renderText("0% [Working]\r            \rGet:1 http://deb.debian.org bookworm InRelease")).toBe(
      "Get:1 http://deb.debian.org bookworm InRelease",
    );
    expect(renderText("Reading package lists... 94%\r\rReading package lists... Done\r\r")).toBe("Reading package lists... Done");
    expect(currentLine("Progress: 100% done here\r\x1b[Kroot@3f2a:/# ")).toBe("root@3f2a:/# ");
    expect(currentLine("root@3f2a:/# \r\x1b[K\rroot@3f2a:/# ")).toBe("root@3f2a:/# ");
    expect(renderText("abc\x08\x08X")).toBe("aXc");
  });

  it("redraws progress lines moved to with cursor up and down, as docker push does", () => {
    const raw =
      "The push refers to repository [r/app]\r\n" +
      "aaa: Preparing\r\nbbb: Preparing\r\n" +
      "\x1b[2A\x1b[2K\raaa: Pushing [=>   ]\r\x1b[2B" +
      "\x1b[1A\x1b[2K\rbbb: Pushed\r\x1b[1B" +
      "\x1b[2A\x1b[2K\raaa: Pushed\r\x1b[2B" +
      "latest: digest: sha256:c0ffee size: 1362\r\n";
    expect(renderText(raw)).toBe(
      "The push refers to repository [r/app]\naaa: Pushed\nbbb: Pushed\nlatest: digest: sha256:c0ffee size: 1362\n",
    );
  });

  it("keeps an escape sequence cut between two chunks", () => {
    const screen = new Screen();
    screen.write("root@sandbox:~/lab# ls\r\n\x1b[1;3");
    screen.write("2mgreen\x1b[0m\r\n");
    expect(screen.text()).toBe("root@sandbox:~/lab# ls\ngreen\n");
    expect(screen.cursorRow).toBe(2);
  });

  it("finds the cursor's line and the last lines", () => {
    const raw = "docker ps\r\n\x1b[?2004l\rCONTAINER ID   IMAGE\r\n\x1b[?2004h\x1b[1;32mroot@sandbox\x1b[0m:~/lab# ";
    expect(currentLine(raw)).toBe("root@sandbox:~/lab# ");
    expect(renderText(raw)).toBe("docker ps\nCONTAINER ID   IMAGE\nroot@sandbox:~/lab#");
    expect(tail(raw, 2)).toBe("CONTAINER ID   IMAGE\nroot@sandbox:~/lab#");
  });
});
