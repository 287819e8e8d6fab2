import { describe, expect, it } from "vitest";
import { dockerfileCompletions, dockerfileHover, dockerfileProblems } from "./dockerfile-service";

/** Lab 2's Dockerfile, as the lesson writes it. */
const LAB_DOCKERFILE = `FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends nodejs
COPY . /app
WORKDIR /app
CMD ["node", "index.js"]
`;

const withLine = (index: number, line: string) => LAB_DOCKERFILE.split("\n").with(index, line).join("\n");
const messages = (content: string) => dockerfileProblems(content).map((problem) => problem.message);

describe("dockerfileProblems (the real dockerfile-utils validator, explained)", () => {
  it("finds nothing wrong in the lab's Dockerfile", () => {
    expect(dockerfileProblems(LAB_DOCKERFILE)).toEqual([]);
  });

  it("says a misspelt FROM is a misspelling, once, with the fix as a quick fix and Docker's words kept", () => {
    const problems = dockerfileProblems(withLine(0, "FORM debian:bookworm-slim"));
    expect(problems).toEqual([
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } },
        severity: "error",
        message: "`FORM` is not a Dockerfile instruction. Did you mean `FROM`?",
        detail: "Unknown instruction: FORM",
        code: "UNKNOWN_INSTRUCTION",
        replacement: "FROM",
      },
    ]);
  });

  it("suggests the instruction for a misspelling further down", () => {
    expect(messages(withLine(3, "WORKDRI /app"))).toEqual(["`WORKDRI` is not a Dockerfile instruction. Did you mean `WORKDIR`?"]);
  });

  it("points at the line above when a command's continuation lost its backslash", () => {
    const content = "FROM debian:bookworm-slim\nRUN apt-get update &&\n  apt-get install -y nodejs\n";
    expect(messages(content)).toEqual([
      "`apt-get` is not a Dockerfile instruction. If this line continues the command above, end the line above with ` \\`.",
    ]);
  });

  it("asks for FROM when a Dockerfile has none", () => {
    const problems = dockerfileProblems("RUN echo hello\n");
    expect(problems.map((problem) => [problem.code, problem.severity])).toEqual([["NO_SOURCE_IMAGE", "error"]]);
    expect(problems[0]?.message).toContain("starts with `FROM`");
  });

  it("explains a CMD list Docker would run as a shell command, whatever its flaw", () => {
    expect(messages(withLine(4, 'CMD ["node", "index.js"'))[0]).toMatch(
      /^This list is not valid: the closing `]` is missing, so Docker runs the line as a shell command, which fails\. .*`CMD \["node", "index.js"]`/,
    );
    expect(messages(withLine(4, 'CMD ["node" "index.js"]'))[0]).toContain('a comma is missing between `"node"` and `"index.js"`');
    expect(messages(withLine(4, 'CMD ["node", index.js]'))[0]).toContain("`index.js` needs double quotes around it");
    expect(messages(withLine(4, 'CMD ["node", "index.js",]'))[0]).toContain("a comma after the last word");
    expect(dockerfileProblems(withLine(4, 'CMD ["node", "index.js"')).map((problem) => [problem.code, problem.detail])).toEqual([
      ["MALFORMED_EXEC_FORM", null],
    ]);
  });

  it("leaves a single-quoted list to the service's own warning, once", () => {
    const problems = dockerfileProblems(withLine(4, "CMD ['node', 'index.js']"));
    expect(problems.map((problem) => [problem.code, problem.severity])).toEqual([["JSON_IN_SINGLE_QUOTES", "warning"]]);
    expect(problems[0]?.message).toContain("Use double quotes");
  });

  it("only mentions lowercase instructions, which Docker accepts", () => {
    const problems = dockerfileProblems(withLine(2, "copy . /app"));
    expect(problems).toMatchObject([{ severity: "info", code: "CASING_INSTRUCTION", replacement: "COPY" }]);
    expect(problems[0]?.message).toBe("Docker accepts `copy`, but instructions are written in capitals by convention: `COPY`.");
  });

  it("names the instruction that lacks an argument, with an example, where the service names another", () => {
    expect(messages(withLine(2, "COPY index.js"))).toEqual([
      "`COPY` needs what to copy and where to put it in the image, for example `COPY index.js /app/`.",
    ]);
    expect(messages(withLine(3, "WORKDIR"))).toEqual(["`WORKDIR` needs something after it, for example `WORKDIR /app`."]);
    // The service says "ENV must have two arguments" for a LABEL.
    expect(dockerfileProblems(withLine(3, "LABEL version"))).toMatchObject([
      {
        message: '`LABEL` needs a name and a value joined by `=`, for example `LABEL version="1.0"`.',
        detail: "ENV must have two arguments",
      },
    ]);
  });

  it("suggests the flag a misspelt one meant, as a quick fix of the flag's name", () => {
    const problems = dockerfileProblems(withLine(2, "COPY --fron=build . /app"));
    expect(problems).toMatchObject([{ message: "`--fron` is not an option of `COPY`. Did you mean `--from`?", replacement: "--from" }]);
  });

  it("explains ports, relative folders and a second CMD", () => {
    expect(messages(`${LAB_DOCKERFILE}EXPOSE 80a\n`)[0]).toContain("`80a` is not a port");
    expect(messages(withLine(3, "WORKDIR app"))).toEqual([
      "Start the folder with `/`, like `/app`: a relative WORKDIR depends on the folder before it.",
    ]);
    expect(messages(`${LAB_DOCKERFILE}CMD ["node", "other.js"]\n`)).toEqual([
      "Only the last `CMD` of an image counts, so this one does nothing: remove it, or merge the two into one.",
    ]);
  });
});

describe("dockerfileCompletions (the real DockerAssist, offline)", () => {
  it("offers the instructions that start with what was typed, with their documentation", async () => {
    const items = await dockerfileCompletions("FROM debian:bookworm-slim\nWO", { line: 1, character: 2 });
    expect(items.map((item) => item.label)).toEqual(["WORKDIR /the/workdir/path"]);
    expect(items[0]?.textEdit?.newText).toBe(`WORKDIR \${1:/the/workdir/path}`);
    expect(JSON.stringify(items[0]?.documentation)).toContain("working directory");
  });

  it("offers only FROM in an empty file, and every instruction after it", async () => {
    const first = (await dockerfileCompletions("", { line: 0, character: 0 })).map((item) => item.label);
    expect(first).toEqual(["FROM baseImage"]);
    const next = (await dockerfileCompletions("FROM debian\n", { line: 1, character: 0 })).map((item) => item.label.split(" ")[0]);
    expect(next).toEqual(expect.arrayContaining(["RUN", "COPY", "CMD", "WORKDIR", "EXPOSE", "ENTRYPOINT"]));
  });

  it("offers COPY's flags after `--`", async () => {
    const labels = (await dockerfileCompletions("FROM debian\nCOPY --", { line: 1, character: 7 })).map((item) => item.label);
    expect(labels).toEqual(expect.arrayContaining(["--chown=user:group", "--from=stage"]));
  });

  it("offers no image tags after `FROM image:` (the service would ask Docker Hub for them)", async () => {
    expect(await dockerfileCompletions("FROM debian:", { line: 0, character: 12 })).toEqual([]);
  });
});

describe("dockerfileHover", () => {
  it("documents the instruction under the cursor", () => {
    expect(dockerfileHover(LAB_DOCKERFILE, { line: 1, character: 1 })).toContain("Execute any commands on top of the current image");
  });

  it("has nothing to say about an argument", () => {
    expect(dockerfileHover(LAB_DOCKERFILE, { line: 3, character: 10 })).toBeNull();
  });
});
