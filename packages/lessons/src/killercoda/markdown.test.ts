import { describe, expect, it } from "vitest";
import { convertKillercodaMarkdown } from "./markdown";

describe("convertKillercodaMarkdown", () => {
  it("turns fenced blocks marked {{exec}}, {{exec interrupt}} and {{copy}} into run and copy blocks", () => {
    const text = [
      "Run it:",
      "",
      "```",
      "docker ps",
      "```{{exec}}",
      "",
      "```bash",
      "docker logs -f web",
      "```{{exec interrupt}}",
      "",
      "```yaml",
      "a: 1",
      "```{{copy}}",
      "",
      "```",
      "plain",
      "```",
    ].join("\n");
    expect(convertKillercodaMarkdown(text, "step1/text.md")).toEqual({
      markdown: [
        "Run it:",
        "",
        "```run",
        "docker ps",
        "```",
        "",
        "```run interrupt",
        "docker logs -f web",
        "```",
        "",
        "```copy lang=yaml",
        "a: 1",
        "```",
        "",
        "```",
        "plain",
        "```",
      ].join("\n"),
      notes: [],
    });
  });

  it("keeps inline commands in the text and adds their blocks after the paragraph", () => {
    const text = "First `docker ps`{{exec}} then `docker images`{{exec interrupt}},\nor copy `echo hi`{{copy}}.\n\nNext paragraph.";
    expect(convertKillercodaMarkdown(text, "intro.md").markdown).toBe(
      [
        "First `docker ps` then `docker images`,",
        "or copy `echo hi`.",
        "",
        "```run",
        "docker ps",
        "```",
        "",
        "```run interrupt",
        "docker images",
        "```",
        "",
        "```copy",
        "echo hi",
        "```",
        "",
        "Next paragraph.",
      ].join("\n"),
    );
  });

  it("maps port links, moves indented command blocks to the top level, and reports what it cannot map", () => {
    const text = [
      "Open [the app]({{TRAFFIC_HOST1_8080}}/hello) or [the other]({{TRAFFIC_HOST2_80}}).",
      "Pick a port with {{TRAFFIC_SELECTOR}}.",
      "Edit `app.py`{{open}} and run `ls`{{execute T2}}.",
      "",
      "1. Start it:",
      "   ```",
      "   docker run -d web",
      "   ```{{exec}}",
    ].join("\n");
    const { markdown, notes } = convertKillercodaMarkdown(text, "step2/text.md");
    expect(markdown).toBe(
      [
        "Open [the app](port:8080/hello) or [the other](port:80).",
        "Pick a port with the sandbox's published ports.",
        "Edit `app.py` and run `ls`.",
        "",
        "```run",
        "ls",
        "```",
        "",
        "1. Start it:",
        "",
        "```run",
        "docker run -d web",
        "```",
      ].join("\n"),
    );
    expect(notes.map((note) => [note.kind, note.line, note.message])).toEqual([
      ["unmapped", 1, "{{TRAFFIC_HOST2_80}} points at host 2; a Drydock sandbox is one machine, so it links to port 80 of it."],
      ["unmapped", 2, "{{TRAFFIC_SELECTOR}} (Killercoda's port chooser) has no equivalent; link to a port with port:NUMBER/path."],
      ["unmapped", 3, "{{open}} has no equivalent in this format; the code is kept as plain text."],
      ["unmapped", 3, '{{execute T2}}: "T2" (another terminal or host) is not supported; the command runs in the one terminal.'],
      ["approximated", 6, "An indented command block (in a list) was moved to the top level, as this format requires."],
    ]);
  });
});
