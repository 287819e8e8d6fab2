import { posix } from "node:path";
import { stringify } from "yaml";
import type { Level } from "../model";
import { detailsToBlocks } from "./details";
import type { ImportNote } from "./import-notes";
import { convertKillercodaMarkdown } from "./markdown";

/** A Killercoda scenario folder, read: every file by "/"-separated relative path. */
export interface KillercodaScenario {
  /** The folder's name: the lesson id is made from it. */
  name: string;
  files: Record<string, Uint8Array>;
  /** Those of `files` that are executable in the scenario's folder: an asset among them stays executable. */
  executables?: string[];
}

/** The lesson folder made from it, not yet written, and what could not be carried over. */
export interface ConvertedScenario {
  lessonId: string;
  files: Record<string, Uint8Array>;
  notes: ImportNote[];
}

/** Thrown when the scenario cannot be read at all (no or broken index.json). */
export class ScenarioError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = "ScenarioError";
  }
}

const INDEX = "index.json";
/** Killercoda's terminal starts in root's home; keeping it makes the scenario's relative paths work unchanged. */
const KILLERCODA_HOME = "/root";
const KNOWN_TOP_LEVEL = ["title", "description", "difficulty", "time", "details", "backend", "interface"];
const KNOWN_PAGE = ["text", "background", "foreground"];
const KNOWN_STEP = ["title", "text", "verify", "background", "foreground"];
const DOCKER_BACKENDS = ["ubuntu", "ubuntu-4gb", "docker", "bash"];

/**
 * Converts a Killercoda scenario (index.json, intro/step/finish Markdown,
 * verify/background/foreground scripts, assets) into a lesson folder of this
 * format. Pure: files in, files out, with a note for everything that could not
 * be mapped or behaves differently.
 */
export function convertKillercodaScenario(scenario: KillercodaScenario): ConvertedScenario {
  return new ScenarioConverter(scenario).convert();
}

class ScenarioConverter {
  private readonly notes: ImportNote[] = [];
  private readonly out: Record<string, Uint8Array> = {};
  private readonly decoder = new TextDecoder();
  private readonly encoder = new TextEncoder();

  constructor(private readonly scenario: KillercodaScenario) {}

  convert(): ConvertedScenario {
    const index = this.readIndex();
    this.unknownKeys(index, KNOWN_TOP_LEVEL, "");
    const details = asRecord(index.details);
    this.unknownKeys(details, ["intro", "steps", "finish", "assets"], "details.");
    this.backend(index);
    if (index.interface !== undefined) {
      this.note(
        "approximated",
        INDEX,
        undefined,
        "interface (Killercoda's layout) is ignored: Drydock always shows the lesson, a terminal and an editor.",
      );
    }

    const title = stringOr(index.title, "") || this.scenario.name;
    if (typeof index.title !== "string")
      this.note("approximated", INDEX, undefined, `index.json has no title; the folder name "${title}" is used.`);
    const steps = Array.isArray(details.steps) ? details.steps.map(asRecord) : [];
    if (steps.length === 0)
      this.note("unmapped", INDEX, undefined, "The scenario has no steps; a lesson needs at least one: add steps/01-NAME.md.");
    const lessonId = slug(this.scenario.name) || slug(title) || "imported-scenario";
    const files = this.assets(asRecord(details.assets));

    const frontMatter = {
      id: lessonId,
      title,
      summary: stringOr(index.description, "") || title,
      level: this.level(index.difficulty),
      minutes: this.minutes(index.time, steps.length),
      tags: ["imported"],
      workspace: KILLERCODA_HOME,
      ...(files.length > 0 ? { files } : {}),
    };
    if (typeof index.description !== "string")
      this.note("approximated", INDEX, undefined, "index.json has no description; the title is used as the summary.");

    const intro = asRecord(details.intro);
    this.unknownKeys(intro, KNOWN_PAGE, "details.intro.");
    const introBody = this.pageBody(intro, "intro") || `${frontMatter.summary}\n`;
    this.write("lesson.md", `---\n${stringify(frontMatter)}---\n${introBody}`);

    const usedIds = new Set<string>();
    steps.forEach((step, position) => {
      this.unknownKeys(step, KNOWN_STEP, `details.steps[${position}].`);
      const stepTitle = stringOr(step.title, "") || `Step ${position + 1}`;
      if (typeof step.title !== "string")
        this.note("approximated", INDEX, undefined, `Step ${position + 1} has no title; it is called "${stepTitle}".`);
      let id = slug(stepTitle) || `step-${position + 1}`;
      while (usedIds.has(id)) id = `${id}-${position + 1}`;
      usedIds.add(id);
      const body = this.pageBody(step, `step ${position + 1}`);
      const check = this.check(step, position);
      this.write(`steps/${String(position + 1).padStart(2, "0")}-${id}.md`, markdownBlocks(`# ${stepTitle}`, body, check));
    });

    const finish = asRecord(details.finish);
    this.unknownKeys(finish, ["text"], "details.finish.");
    const finishBody = this.markdownOf(finish.text, "finish");
    if (finishBody) this.write("finish.md", /^#\s/.test(finishBody) ? finishBody : `# Finish\n\n${finishBody}`);

    if (steps.some((step) => typeof step.verify === "string")) {
      this.note(
        "approximated",
        INDEX,
        undefined,
        "Verify scripts become checks unchanged. Drydock shows a check's stdout lines starting FAIL: as the reason it failed; add some so learners see what is missing.",
      );
    }
    return { lessonId, files: this.out, notes: this.notes };
  }

  private readIndex(): Record<string, unknown> {
    const bytes = this.scenario.files[INDEX];
    if (!bytes)
      throw new ScenarioError(
        `${this.scenario.name} has no index.json.`,
        "Pass the folder of one Killercoda scenario (the one with index.json).",
      );
    try {
      const parsed: unknown = JSON.parse(this.decoder.decode(bytes));
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch (error) {
      throw new ScenarioError(`index.json is not valid JSON: ${(error as Error).message}.`, "Fix index.json; Killercoda rejects it too.");
    }
    throw new ScenarioError("index.json is not a JSON object.", "Fix index.json; Killercoda rejects it too.");
  }

  /** A page's setup (background), typed script (foreground) and converted text. */
  private pageBody(page: Record<string, unknown>, what: string): string {
    const parts: string[] = [];
    const background = this.textFile(page.background, `${what}'s background script`);
    if (background !== undefined) {
      parts.push(fenced("setup", background));
      this.note(
        "approximated",
        String(page.background),
        undefined,
        `The ${what}'s background script becomes a setup block: Drydock runs it before the page and waits for it (up to 120 s), where Killercoda runs it alongside.`,
      );
    }
    const foreground = this.textFile(page.foreground, `${what}'s foreground script`);
    if (foreground !== undefined) {
      parts.push(fenced("run", withoutShebang(foreground)));
      this.note(
        "approximated",
        String(page.foreground),
        undefined,
        `The ${what}'s foreground script becomes a run block at the top of the page: the learner (and the runner) types it; Killercoda started it by itself.`,
      );
    }
    const text = this.markdownOf(page.text, what);
    if (text) parts.push(text);
    return markdownBlocks(...parts);
  }

  private markdownOf(path: unknown, what: string): string {
    const text = this.textFile(path, `${what}'s text`);
    if (text === undefined) return "";
    const converted = convertKillercodaMarkdown(text, String(path));
    this.notes.push(...converted.notes);
    this.pictures(converted.markdown, String(path));
    const markdown = detailsToBlocks(converted.markdown);
    if (markdown !== converted.markdown && /<details/i.test(converted.markdown)) {
      this.note(
        "approximated",
        String(path),
        undefined,
        "HTML <details> became solution blocks (summary Solution or Answer) and hint blocks (the others, their commands as plain samples); <br> lines were dropped.",
      );
    }
    return markdown.replace(/\s*$/, "\n");
  }

  private check(step: Record<string, unknown>, position: number): string {
    const verify = this.textFile(step.verify, `step ${position + 1}'s verify script`);
    if (verify !== undefined) return fenced("check", verify);
    this.note(
      "unmapped",
      INDEX,
      undefined,
      `Step ${position + 1} has no verify script; Drydock needs a check for every step, so a placeholder that always fails was written: replace it.`,
    );
    return fenced("check", 'echo "FAIL: This step has no check yet (its Killercoda scenario had no verify script)."\nexit 1');
  }

  /** Reads a file named in index.json; reports a missing one. */
  private textFile(path: unknown, what: string): string | undefined {
    if (path === undefined) return undefined;
    if (typeof path !== "string") {
      this.note("unmapped", INDEX, undefined, `The ${what} is not a file name (${JSON.stringify(path)}); it was left out.`);
      return undefined;
    }
    const bytes = this.scenario.files[posix.normalize(path)];
    if (!bytes) {
      this.note("unmapped", path, undefined, `The ${what} ${path} does not exist in the scenario; it was left out.`);
      return undefined;
    }
    return this.decoder.decode(bytes);
  }

  /** Killercoda assets (copied to host01 before the scenario starts) become the lesson's files. */
  private assets(assets: Record<string, unknown>): ({ path: string; source: string; mode?: string } | string)[] {
    const files: ({ path: string; source: string; mode?: string } | string)[] = [];
    for (const [host, entries] of Object.entries(assets)) {
      if (host !== "host01") {
        this.note("unmapped", INDEX, undefined, `Assets for ${host} were left out: a Drydock sandbox is one machine (host01).`);
        continue;
      }
      for (const entry of Array.isArray(entries) ? entries.map(asRecord) : []) {
        const pattern = stringOr(entry.file, "");
        const target = stringOr(entry.target, KILLERCODA_HOME);
        const matches = matchAssets(Object.keys(this.scenario.files), pattern);
        if (matches.length === 0) {
          this.note("unmapped", INDEX, undefined, `The asset "${pattern}" matches no file in assets/; it was left out.`);
          continue;
        }
        const chmod = this.mode(entry.chmod, pattern);
        for (const match of matches) {
          const mode = chmod ?? (this.scenario.executables?.includes(match.file) ? "0755" : undefined);
          const destination = posix.join(target, match.relative);
          const inHome = destination.startsWith(`${KILLERCODA_HOME}/`);
          const path = inHome ? destination.slice(KILLERCODA_HOME.length + 1) : destination;
          const source = `files/${inHome ? path : destination.replace(/^\/+/, "")}`;
          this.out[source] = this.scenario.files[match.file] ?? new Uint8Array();
          files.push(inHome && mode === undefined ? path : { path, source, ...(mode ? { mode } : {}) });
        }
      }
    }
    return files;
  }

  private mode(chmod: unknown, pattern: string): string | undefined {
    if (chmod === undefined) return undefined;
    if (chmod === "+x" || chmod === "a+x" || chmod === "u+x") return "0755";
    if (typeof chmod === "string" && /^0?[0-7]{3,4}$/.test(chmod)) return chmod.padStart(4, "0");
    this.note(
      "unmapped",
      INDEX,
      undefined,
      `chmod "${String(chmod)}" of the asset "${pattern}" was left out: give the file's mode as octal digits (e.g. "0755").`,
    );
    return undefined;
  }

  /** Pictures the Markdown shows from the scenario folder are copied along, at the same place. */
  private pictures(markdown: string, file: string): void {
    for (const [, src] of markdown.matchAll(/!\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)) {
      if (!src || /^[a-z]+:/i.test(src) || src.startsWith("/")) continue;
      const path = posix.normalize(posix.join(posix.dirname(file), src));
      const bytes = this.scenario.files[path];
      if (!bytes) {
        this.note("unmapped", file, undefined, `The picture ${src} does not exist in the scenario.`);
        continue;
      }
      this.out[path] = bytes;
      this.note("approximated", file, undefined, `The picture ${src} was copied into the lesson folder; check that the product shows it.`);
    }
  }

  private level(difficulty: unknown): Level {
    const text = stringOr(difficulty, "").toLowerCase();
    if (text === "beginner" || text === "intermediate" || text === "advanced") return text;
    if (text === "easy") return "beginner";
    if (text === "medium") return "intermediate";
    if (text === "hard" || text === "expert") return "advanced";
    this.note("approximated", INDEX, undefined, 'Killercoda scenarios have no level; "beginner" was chosen: adjust level in lesson.md.');
    return "beginner";
  }

  private minutes(time: unknown, steps: number): number {
    const stated = Number.parseInt(stringOr(time, ""), 10);
    if (stated > 0) return stated;
    const estimate = Math.max(5, steps * 5);
    this.note(
      "approximated",
      INDEX,
      undefined,
      `The scenario states no duration; ${estimate} minutes (5 per step) was estimated: adjust minutes in lesson.md.`,
    );
    return estimate;
  }

  private backend(index: Record<string, unknown>): void {
    const image = stringOr(asRecord(index.backend).imageid, "");
    if (!image) return;
    if (DOCKER_BACKENDS.includes(image.toLowerCase())) {
      this.note(
        "approximated",
        INDEX,
        undefined,
        `backend "${image}" becomes a Drydock sandbox: Debian with its own Docker engine, pulling base images from the playground's registry.`,
      );
    } else {
      this.note(
        "unmapped",
        INDEX,
        undefined,
        `backend "${image}" has no equivalent: Drydock sandboxes are Debian machines with Docker (no Kubernetes cluster or other environments).`,
      );
    }
  }

  private unknownKeys(object: Record<string, unknown>, known: string[], prefix: string): void {
    for (const key of Object.keys(object)) {
      if (!known.includes(key))
        this.note("unmapped", INDEX, undefined, `${prefix}${key} is not a Killercoda feature this importer knows; it was left out.`);
    }
  }

  private write(path: string, text: string): void {
    this.out[path] = this.encoder.encode(text);
  }

  private note(kind: ImportNote["kind"], file: string, line: number | undefined, message: string): void {
    this.notes.push({ kind, file, ...(line !== undefined ? { line } : {}), message });
  }
}

/**
 * Markdown pieces one after another, each ending its last line and followed
 * by a blank line: a piece that ends in HTML (Killercoda pages often end with
 * `</details>` and no newline) would otherwise swallow the fence after it,
 * since an HTML block runs until a blank line. Empty pieces are left out.
 */
export function markdownBlocks(...pieces: string[]): string {
  const kept = pieces.map((piece) => piece.replace(/^(?:[ \t]*\n)+/, "").replace(/\s+$/, "")).filter((piece) => piece !== "");
  return kept.length === 0 ? "" : `${kept.join("\n\n")}\n`;
}

/** A fenced block whose fence is longer than any run of backticks inside it. */
export function fenced(info: string, content: string): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${info}\n${content.replace(/\s+$/, "")}\n${fence}\n`;
}

function withoutShebang(script: string): string {
  return script.replace(/^#!.*\n/, "");
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === "string" ? value.trim() : fallback;
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
}

/**
 * The files under assets/ an asset entry names: a file, a folder (everything
 * in it, keeping the folder), or a glob (`*` within a folder, `**` across).
 * `relative` is where it goes below the target.
 */
export function matchAssets(files: string[], pattern: string): { file: string; relative: string }[] {
  const assets = files.filter((file) => file.startsWith("assets/")).map((file) => file.slice("assets/".length));
  const clean = pattern.replace(/^\.?\/+/, "").replace(/\/+$/, "");
  if (clean === "") return [];
  const base = clean.includes("/") ? clean.slice(0, clean.lastIndexOf("/") + 1) : "";
  const expression = new RegExp(
    `^${clean
      .split(/(\*\*|\*|\?)/)
      .map((part) => (part === "**" ? ".*" : part === "*" ? "[^/]*" : part === "?" ? "[^/]" : part.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
      .join("")}$`,
  );
  return assets.flatMap((asset) => {
    if (expression.test(asset)) return [{ file: `assets/${asset}`, relative: asset.slice(base.length) }];
    if (asset.startsWith(`${clean}/`)) return [{ file: `assets/${asset}`, relative: asset.slice(base.length) }];
    return [];
  });
}
