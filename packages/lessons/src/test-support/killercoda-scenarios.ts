/**
 * Killercoda scenarios written for the importer's tests, in the style of the
 * official Docker scenarios (killercoda/scenarios-docker): `index.json` with
 * intro, steps and finish; verify scripts; background and foreground scripts;
 * assets copied to `/ks` and to `/var/run/kc-internal` with `chmod`; step
 * pages whose hints and solutions are HTML `<details>` with `{{exec}}` fences
 * inside, written both with `<br>` and blank lines and packed without them;
 * pages that end on `</details>` with no newline.
 */
export interface TestScenario {
  name: string;
  files: Record<string, string>;
  /** How many steps it has, each with a verify script. */
  steps: number;
}

const WAIT_INIT = `#!/bin/bash
while [ ! -f /ks/.initfinished ]; do sleep 1; done
echo "Ready"
`;

const INIT = `#!/bin/bash
docker pull -q alpine >/dev/null 2>&1 || true
touch /ks/.initfinished
`;

/** Info, two tips and a solution of several `{{exec}}` fences, each fence after `<br>` and a blank line; the page ends on `</details>`. */
const CMD_OR_ENTRYPOINT: TestScenario = {
  name: "cmd-or-entrypoint",
  steps: 2,
  files: {
    "index.json": JSON.stringify(
      {
        title: "CMD or ENTRYPOINT",
        description: "Feel the difference between CMD and ENTRYPOINT",
        details: {
          intro: { text: "intro.md", background: "init/background.sh", foreground: "init/foreground.sh" },
          steps: [
            { title: "Using CMD", text: "step1/text.md", verify: "step1/verify.sh" },
            { title: "Using ENTRYPOINT", text: "step2/text.md", verify: "step2/verify.sh" },
          ],
          assets: {
            host01: [
              { file: "init.sh", target: "/ks", chmod: "+x" },
              { file: "wait-init.sh", target: "/ks", chmod: "+x" },
              { file: "solution.sh", target: "/var/run/kc-internal", chmod: "+x" },
            ],
          },
        },
        backend: { imageid: "ubuntu" },
      },
      null,
      2,
    ),
    "intro.md": "\nIn this scenario you will compare `CMD` and `ENTRYPOINT`.\n",
    "init/background.sh": "#!/bin/bash\n\nbash /ks/init.sh\n",
    "init/foreground.sh": "#!/bin/bash\n\nbash /ks/wait-init.sh\n",
    "assets/init.sh": INIT,
    "assets/wait-init.sh": WAIT_INIT,
    "assets/solution.sh": "#!/bin/bash\nset -e\necho solved\n",
    "step1/text.md": [
      "",
      "Create `/root/Dockerfile` from `alpine` whose `CMD` prints `hi, from container!`.",
      "",
      "Build image `cmd-echo` from it.",
      "",
      "<br>",
      "<details><summary>Info</summary>",
      "<br>",
      "",
      "```plain",
      "Documentation: https://docs.docker.com/engine/reference/builder/#cmd",
      "",
      "There can only be one CMD instruction in a Dockerfile.",
      "```",
      "",
      "</details>",
      "",
      "<br>",
      "<details><summary>Tip 1</summary>",
      "<br>",
      "",
      "```plain",
      "Use docker build -t <name> . in the folder of the Dockerfile.",
      "```",
      "",
      "</details>",
      "",
      "",
      "<br>",
      "<details><summary>Solution</summary>",
      "<br>",
      "",
      "Write the Dockerfile:",
      "",
      "<br>",
      "",
      "```plain",
      "cat > /root/Dockerfile <<EOF",
      "FROM alpine",
      'CMD ["echo", "hi, from container!"]',
      "EOF",
      "```{{exec}}",
      "",
      "<br>",
      "",
      "Build it:",
      "",
      "<br>",
      "",
      "```plain",
      "docker build -t cmd-echo .",
      "```{{exec}}",
      "",
      "",
      "</details>",
    ].join("\n"),
    "step1/verify.sh":
      '#!/bin/bash\n\nset -e\ndocker image inspect cmd-echo >/dev/null\ndocker run --rm cmd-echo | grep -q "hi, from container!"\n',
    "step2/text.md": [
      "",
      "Replace `CMD` with an `ENTRYPOINT` that runs the same command, and build `entrypoint-echo`.",
      "",
      "<br>",
      "<details><summary>Tip</summary>",
      "<br>",
      "",
      "```plain",
      "Once ENTRYPOINT is set, any CMD given on the command line",
      "becomes its arguments.",
      "```",
      "",
      "</details>",
      "",
      "<br>",
      "<details><summary>Solution</summary>",
      "<br>",
      "",
      "```plain",
      "cat > /root/Dockerfile <<EOF",
      "FROM alpine",
      'ENTRYPOINT ["echo", "hi, from container!"]',
      "EOF",
      "docker build -t entrypoint-echo .",
      "```{{exec}}",
      "",
      "Run it with an extra argument: `docker run --rm entrypoint-echo date`{{exec}}",
      "",
      "</details>",
    ].join("\n"),
    "step2/verify.sh":
      '#!/bin/bash\n\nLOGFILE=/ks/step2-verify.log\nset -e\n\n{\n    date\n    docker image inspect entrypoint-echo --format "{{json .Config.Entrypoint}}" | grep -q echo\n} >> "$LOGFILE" 2>&1\n\necho "done"\n',
  },
};

/** Solutions packed into `<details>` with no blank lines, `{{exec}}` and `{{copy}}` fences straight inside HTML, a plain fence with a blank line in it, inline actions in HTML. */
const COMPOSE_PACKED: TestScenario = {
  name: "compose-packed",
  steps: 3,
  files: {
    "index.json": JSON.stringify({
      title: "Docker Compose in three steps",
      description: "Write a compose file, start it, scale it",
      difficulty: "easy",
      time: "15 minutes",
      details: {
        intro: { text: "intro.md" },
        steps: [
          { title: "Write the compose file", text: "step1/text.md", verify: "step1/verify.sh" },
          { title: "Start the services", text: "step2/text.md", verify: "step2/verify.sh", background: "step2/background.sh" },
          { title: "Scale web", text: "step3/text.md", verify: "step3/verify.sh", foreground: "step3/foreground.sh" },
        ],
        finish: { text: "finish.md" },
        assets: { host01: [{ file: "site/*", target: "/root/compose-project/site" }] },
      },
      backend: { imageid: "ubuntu" },
    }),
    "intro.md": "<h2>Compose</h2>\n<p>Start it with <code>docker compose</code>.</p>",
    "assets/site/index.html": "<h1>Hello from Docker Compose</h1>\n",
    "step1/text.md": [
      "Create `/root/compose-project/docker-compose.yml` with a service `web` on port 8080.",
      "<details><summary>Tip</summary>",
      "```plain",
      "services:",
      "",
      "  web:",
      "    image: nginx:alpine",
      "```",
      "</details>",
      "<details><summary>Solution</summary>",
      "```yaml",
      "services:",
      "  web:",
      "    image: nginx:alpine",
      "    ports:",
      '      - "8080:80"',
      "```{{copy}}",
      "```",
      "mkdir -p /root/compose-project && cd /root/compose-project",
      "```{{exec}}",
      "</details>",
    ].join("\n"),
    "step1/verify.sh": "#!/bin/bash\ngrep -q 'web:' /root/compose-project/docker-compose.yml\n",
    "step2/background.sh": "#!/bin/bash\nmkdir -p /root/compose-project\n",
    "step2/text.md": [
      "Start it: <p>`docker compose up -d`{{exec}}</p>",
      "<details><summary>Solution</summary>",
      "```",
      "cd /root/compose-project",
      "docker compose up -d",
      "```{{exec}}",
      "</details>",
    ].join("\n"),
    "step2/verify.sh": "#!/bin/bash\ncd /root/compose-project && docker compose ps --services --filter status=running | grep -q web\n",
    "step3/foreground.sh": "#!/bin/bash\ncd /root/compose-project\n",
    "step3/text.md": [
      "Follow the logs, then stop following and scale `web` to 2:",
      "<details><summary>Solution</summary>",
      "```",
      "docker compose logs -f",
      "```{{exec}}",
      "```",
      "docker compose up -d --scale web=2",
      "```{{exec interrupt}}",
      "</details>",
    ].join("\r\n"),
    "step3/verify.sh": '#!/bin/bash\n[ "$(docker compose -f /root/compose-project/docker-compose.yml ps -q web | wc -l)" -ge 2 ]\n',
    "finish.md": "<h2>Done</h2>\n",
  },
};

/** Katacoda-era markers, a folder of assets into the home, a picture, a verify script without a shebang, a missing trailing newline everywhere. */
const BUILD_AN_IMAGE: TestScenario = {
  name: "container-build",
  steps: 2,
  files: {
    "index.json": JSON.stringify({
      title: "Build a container image",
      description: "Build and run your own image",
      details: {
        intro: { text: "intro.md", background: "init/background.sh" },
        steps: [
          { title: "Build", text: "step1/text.md", verify: "step1/verify.sh" },
          { title: "Run", text: "step2/text.md", verify: "step2/verify.sh" },
        ],
        assets: {
          host01: [
            { file: "app/**", target: "/root/app" },
            { file: "init.sh", target: "/ks", chmod: "0755" },
          ],
        },
      },
    }),
    "intro.md": "![layers](./images/layers.png)\n\nThe app is in `/root/app`.",
    "images/layers.png": "\u0089PNG\r\n\u001a\n",
    "init/background.sh": "bash /ks/init.sh",
    "assets/init.sh": INIT,
    "assets/app/Dockerfile": 'FROM alpine\nCOPY hello.sh /\nCMD ["sh", "/hello.sh"]\n',
    "assets/app/hello.sh": "echo hello from the app\n",
    "step1/text.md": [
      "Build the image `app:v1` from `/root/app`.",
      "<details>",
      "<summary>Solution</summary>",
      "<pre>`cd /root/app && docker build -t app:v1 .`{{execute}}</pre>",
      "</details>",
    ].join("\n"),
    "step1/verify.sh": "docker image inspect app:v1 >/dev/null 2>&1",
    "step2/text.md": [
      "Run it and see it print its greeting.",
      "<details><summary>Solution</summary>",
      "",
      "```",
      "docker run --name app app:v1",
      "```{{execute}}",
      "</details>",
    ].join("\n"),
    "step2/verify.sh": "docker logs app 2>&1 | grep -q 'hello from the app'",
  },
};

export const REALISTIC_SCENARIOS: TestScenario[] = [CMD_OR_ENTRYPOINT, COMPOSE_PACKED, BUILD_AN_IMAGE];
