import { describe, expect, it } from "vitest";
import { renderText, TerminalScreen } from "./terminal-screen";

describe("TerminalScreen", () => {
  it("shows text as a terminal does: colours dropped, carriage returns and erase-line applied", async () => {
    expect(await renderText("\x1b[?2004h\x1b[1;32mroot@sandbox\x1b[0m:\x1b[1;34m~/lab\x1b[0m# ")).toBe("root@sandbox:~/lab#");
    expect(await renderText("0% [Working]\r            \rGet:1 http://deb.debian.org bookworm InRelease")).toBe(
      "Get:1 http://deb.debian.org bookworm InRelease",
    );
    expect(await renderText("Progress: 100% done here\r\x1b[Kroot@3f2a:/# ")).toBe("root@3f2a:/#");
  });

  it("redraws progress lines moved to with cursor up and down, as docker push does", async () => {
    const raw =
      "The push refers to repository [r/app]\r\n" +
      "aaa: Preparing\r\nbbb: Preparing\r\n" +
      "\x1b[2A\x1b[2K\raaa: Pushing [=>   ]\r\x1b[2B" +
      "\x1b[1A\x1b[2K\rbbb: Pushed\r\x1b[1B" +
      "\x1b[2A\x1b[2K\raaa: Pushed\r\x1b[2B" +
      "latest: digest: sha256:c0ffee size: 1362\r\n";
    expect(await renderText(raw)).toBe(
      "The push refers to repository [r/app]\naaa: Pushed\nbbb: Pushed\nlatest: digest: sha256:c0ffee size: 1362",
    );
  });

  it("numbers rows from the first line ever shown, so rows stay put as the screen scrolls", async () => {
    const screen = new TerminalScreen({ cols: 40, rows: 3 });
    screen.write("one\r\ntwo\r\nthree\r\nfour\r\nroot@sandbox:~/lab# ");
    await screen.settled();
    expect(screen.cursorRow).toBe(4);
    expect(screen.cursorLine()).toEqual({ before: "root@sandbox:~/lab# ", after: " ".repeat(20) });
    expect(screen.lineText(1)).toBe("two");
    expect(screen.text(2)).toBe("three\nfour\nroot@sandbox:~/lab#");
    screen.dispose();
  });
});
