import type { Code, Nodes, Root, RootContent } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import {
  type ActionBlock,
  DEFAULT_CHECK_TIMEOUT_SECONDS,
  DEFAULT_SETUP_TIMEOUT_SECONDS,
  type Part,
  type PortLink,
  type SourcePosition,
  type VariantBlock,
} from "../model";
import { BLOCK_KINDS, type BlockKind, closestKind, describeOptions, isBlockKind, kindSpec, type PagePlace } from "./block-kinds";
import { type InfoToken, isInfoStringError, parseInfoString } from "./info-string";
import { type LessonProblem, problemAt } from "./problems";
import type { ShellSyntaxChecker } from "./shell-syntax";
import { variantBlock } from "./variant-block";

export interface PageParseOptions {
  file: string;
  place: PagePlace;
  checkShellSyntax: ShellSyntaxChecker;
  /** Take a leading `# Heading` out of the parts as the page's title (steps and the finish page). */
  titleHeading?: boolean;
  /** Where this text sits in its file, for text nested in a block (a solution's content). */
  lineOffset?: number;
  columnOffset?: number;
}

export interface ParsedPage {
  parts: Part[];
  /** A step's ```variant blocks, kept out of `parts`: learners never see them. */
  variants: VariantBlock[];
  portLinks: PortLink[];
  title?: { text: string; position: SourcePosition };
  problems: LessonProblem[];
  /** Kinds of blocks that were dropped because they are broken (their problems are reported). */
  brokenKinds: Set<BlockKind>;
}

const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/;
const PORT_LINK = /^port:(\d{1,5})(\/\S*)?$/i;
const KILLERCODA_MARKER = /\{\{\s*(exec|execute|copy|open)\b[^}]*\}\}/;
const KILLERCODA_TRAFFIC = /\{\{\s*TRAFFIC_HOST\d+_(\d+)\s*\}\}/;

/** Parses one page of Markdown (a step, the intro, the finish, or a solution's content) into parts. */
export function parsePage(markdown: string, options: PageParseOptions): ParsedPage {
  const text = markdown.replace(/\r\n?/g, "\n");
  const page = new PageParser(text, options);
  return page.parse();
}

class PageParser {
  private readonly lines: string[];
  private readonly problems: LessonProblem[] = [];
  private readonly portLinks: PortLink[] = [];
  private readonly brokenKinds = new Set<BlockKind>();
  private readonly lineOffset: number;
  private readonly columnOffset: number;

  constructor(
    private readonly text: string,
    private readonly options: PageParseOptions,
  ) {
    this.lines = text.split("\n");
    this.lineOffset = options.lineOffset ?? 0;
    this.columnOffset = options.columnOffset ?? 0;
  }

  parse(): ParsedPage {
    const tree: Root = fromMarkdown(this.text);
    const parts: Part[] = [];
    const variants: VariantBlock[] = [];
    let title: ParsedPage["title"];
    let prose: RootContent[] = [];
    const flushProse = () => {
      const first = prose[0];
      const last = prose.at(-1);
      if (first?.position && last?.position) {
        const markdown = this.text.slice(first.position.start.offset, last.position.end.offset);
        parts.push({ kind: "prose", markdown, position: this.at(first.position.start) });
      }
      prose = [];
    };

    for (const [index, node] of tree.children.entries()) {
      if (index === 0 && this.options.titleHeading && node.type === "heading" && node.depth === 1 && node.position) {
        title = { text: plainText(node).trim(), position: this.at(node.position.start) };
        this.scanInline(node);
        continue;
      }
      if (node.type === "code") {
        const block = this.codeBlock(node, true);
        if (block === "plain") {
          prose.push(node);
        } else {
          flushProse();
          if (block?.kind === "variant") variants.push(block);
          else if (block) parts.push(block);
        }
        continue;
      }
      this.scanInline(node);
      prose.push(node);
    }
    flushProse();
    return { parts, variants, portLinks: this.portLinks, title, problems: this.problems, brokenKinds: this.brokenKinds };
  }

  private at(point: { line: number; column: number }): SourcePosition {
    return { file: this.options.file, line: point.line + this.lineOffset, column: point.column + this.columnOffset };
  }

  private report(point: { line: number; column: number }, message: string, fix: string): void {
    this.problems.push(problemAt(this.at(point), message, fix));
  }

  /** Port links, Killercoda leftovers and blocks nested in lists or quotes, anywhere below a top-level node. */
  private scanInline(node: Nodes): void {
    if (node.type === "code") {
      this.codeBlock(node, false);
      return;
    }
    if ((node.type === "link" || node.type === "definition") && node.position) {
      this.portLink(node.url, node.type === "link" ? plainText(node) : (node.label ?? node.identifier), node.position.start);
    }
    if (node.type === "text" && node.position) {
      const marker = KILLERCODA_MARKER.exec(node.value);
      if (marker) {
        this.report(
          pointInText(node.position.start, node.value, marker.index),
          `"${marker[0]}" is Killercoda syntax, which this format does not use.`,
          "Put the command in a fenced block: ```run (```run interrupt for {{exec interrupt}}, ```copy for {{copy}}).",
        );
      }
    }
    if ("children" in node) for (const child of node.children) this.scanInline(child);
  }

  private portLink(url: string, text: string, point: { line: number; column: number }): void {
    const traffic = KILLERCODA_TRAFFIC.exec(url);
    if (traffic) {
      this.report(point, `"${traffic[0]}" is Killercoda's way to link to a port.`, `Link with port:${traffic[1]}/path instead.`);
      return;
    }
    if (!/^port:/i.test(url)) return;
    const match = PORT_LINK.exec(url);
    const port = Number(match?.[1]);
    if (!match || port < 1 || port > 65535) {
      this.report(
        point,
        `The port link "${url}" is malformed.`,
        "Write port:NUMBER/path with a port from 1 to 65535, e.g. [Open the app](port:8888/).",
      );
      return;
    }
    this.portLinks.push({ port, path: match[2] ?? "/", text, position: this.at(point) });
  }

  /**
   * Classifies a code node: "plain" for a code sample (shown, never run),
   * the block for a kind of this format, undefined when it is broken (the
   * problem is reported).
   */
  private codeBlock(node: Code, topLevel: boolean): Part | VariantBlock | "plain" | undefined {
    const start = node.position?.start;
    if (!start) return "plain";
    const fence = FENCE.exec(this.lines[start.line - 1] ?? "");
    if (!fence) return "plain"; // an indented code block
    const indent = fence[1] ?? "";
    const infoColumn = indent.length + (fence[2] ?? "").length + 1;
    const infoPoint = (offset: number) => ({ line: start.line, column: infoColumn + offset });
    const info = parseInfoString(fence[3] ?? "");
    if (isInfoStringError(info)) {
      this.report(infoPoint(info.offset), info.message, info.fix);
      const kind = (fence[3] ?? "").trim().split(/\s/)[0] ?? "";
      if (isBlockKind(kind)) this.brokenKinds.add(kind);
      return undefined;
    }
    if (info.kind === "") return "plain";
    const kindPoint = infoPoint(info.kindOffset);
    if (!isBlockKind(info.kind)) {
      const meant = closestKind(info.kind);
      const kinds = Object.keys(BLOCK_KINDS).join(", ");
      if (meant) {
        this.report(kindPoint, `Unknown block kind "${info.kind}".`, `Did you mean \`\`\`${meant}? The kinds are: ${kinds}.`);
        return undefined;
      }
      if (info.options.length > 0) {
        this.report(
          kindPoint,
          `Unknown block kind "${info.kind}" (it has options, so it is not a code sample).`,
          `Use one of: ${kinds}; a code sample has only a language, e.g. \`\`\`dockerfile.`,
        );
        return undefined;
      }
      return "plain";
    }
    const block = this.knownBlock(info.kind, node, info.options, topLevel, infoPoint, {
      fence: { line: start.line, column: indent.length + 1 },
      kind: kindPoint,
    });
    if (!block) this.brokenKinds.add(info.kind);
    return block;
  }

  private knownBlock(
    kind: BlockKind,
    node: Code,
    tokens: InfoToken[],
    topLevel: boolean,
    infoPoint: (offset: number) => { line: number; column: number },
    points: { fence: { line: number; column: number }; kind: { line: number; column: number } },
  ): Part | VariantBlock | undefined {
    const start = points.fence;
    const kindPoint = points.kind;
    if (!topLevel) {
      this.report(
        start,
        `A \`\`\`${kind} block stands inside a list or a quote.`,
        "Move it to the top level of the page, with no indentation, so the product and the runner see it.",
      );
      return undefined;
    }
    if (!kindSpec(kind).places.includes(this.options.place)) {
      this.report(kindPoint, `A \`\`\`${kind} block cannot stand in ${describePlace(this.options.place)}.`, whereKindBelongs(kind));
      return undefined;
    }
    const options = this.blockOptions(kind, tokens, infoPoint);
    if (!options) return undefined;
    for (const required of kindSpec(kind).required) {
      if (options[required] === undefined) {
        this.report(
          kindPoint,
          `A \`\`\`${kind} block has no ${required}.`,
          `Add ${required}=... after the kind, e.g. \`\`\`${kind} ${required}=app.py.`,
        );
        return undefined;
      }
    }
    return this.buildBlock(kind, node, options, start);
  }

  private blockOptions(
    kind: BlockKind,
    tokens: InfoToken[],
    infoPoint: (offset: number) => { line: number; column: number },
  ): Record<string, string | true> | undefined {
    const spec = kindSpec(kind);
    const options: Record<string, string | true> = {};
    let broken = false;
    for (const token of tokens) {
      const point = infoPoint(token.offset);
      const option = spec.options[token.name];
      if (!option) {
        this.report(point, `Unknown option "${token.name}" on a \`\`\`${kind} block.`, `A ${kind} block takes: ${describeOptions(kind)}.`);
        broken = true;
        continue;
      }
      if (options[token.name] !== undefined) {
        this.report(point, `The option "${token.name}" is given twice.`, "Keep one of them.");
        broken = true;
        continue;
      }
      if (option.type === "flag") {
        if (token.value !== undefined) {
          this.report(point, `"${token.name}" is a flag and takes no value.`, `Write ${token.name} alone, without "=".`);
          broken = true;
          continue;
        }
        options[token.name] = true;
        continue;
      }
      if (token.value === undefined || token.value === "") {
        const example = option.type === "seconds" ? "60" : kind === "file" ? "app.py" : '"some text"';
        this.report(point, `The option "${token.name}" needs a value (${option.means}).`, `Write ${token.name}=${example}.`);
        broken = true;
        continue;
      }
      if (option.type === "seconds" && !/^[1-9]\d*$/.test(token.value)) {
        this.report(
          point,
          `The option "${token.name}" must be a whole number of seconds, not "${token.value}".`,
          `Write e.g. ${token.name}=60.`,
        );
        broken = true;
        continue;
      }
      options[token.name] = token.value;
    }
    return broken ? undefined : options;
  }

  private buildBlock(
    kind: BlockKind,
    node: Code,
    options: Record<string, string | true>,
    fencePoint: { line: number; column: number },
  ): Part | VariantBlock | undefined {
    const position = this.at(fencePoint);
    const content = node.value;
    const text = (name: string) => (typeof options[name] === "string" ? (options[name] as string) : undefined);
    const seconds = (name: string) => (typeof options[name] === "string" ? Number(options[name]) : undefined);
    const empty = (what: string) => {
      this.report(fencePoint, `The \`\`\`${kind} block is empty.`, `Write ${what} between the fences, or remove the block.`);
      return undefined;
    };
    switch (kind) {
      case "run": {
        const command = content.replace(/\s+$/, "");
        if (command.trim() === "") return empty("the command");
        return {
          kind,
          command,
          interrupt: options.interrupt === true,
          ...(text("until") !== undefined ? { until: text("until") } : {}),
          ...(seconds("timeout") !== undefined ? { timeoutSeconds: seconds("timeout") } : {}),
          ...(options["keeps-running"] === true ? { keepsRunning: true } : {}),
          position,
        };
      }
      case "copy":
        if (content.trim() === "") return empty("the snippet");
        return { kind, text: content, ...(text("lang") !== undefined ? { lang: text("lang") } : {}), position };
      case "file":
        return {
          kind,
          path: text("path") ?? "",
          append: options.append === true,
          // A file ends with a newline; the fenced content does not carry it.
          content: content === "" ? "" : `${content}\n`,
          ...(text("lang") !== undefined ? { lang: text("lang") } : {}),
          position,
        };
      case "hint": {
        if (content.trim() === "") return empty("the hint");
        this.nested(content, "hint", fencePoint);
        return { kind, markdown: content, position };
      }
      case "solution": {
        if (content.trim() === "") return empty("the solution");
        const nested = this.nested(content, "solution", fencePoint);
        const blocks = nested.parts.filter(
          (part): part is ActionBlock => part.kind === "run" || part.kind === "copy" || part.kind === "file",
        );
        return { kind, markdown: content, blocks, position };
      }
      case "variant": {
        if (content.trim() === "") return empty("the step's second way");
        const variant = variantBlock(content, this.nested(content, "variant", fencePoint), position);
        if (variant && "message" in variant) {
          this.problems.push(variant);
          return undefined;
        }
        return variant;
      }
      case "check":
      case "setup": {
        if (content.trim() === "") return empty("the script");
        if (!this.shellSyntaxOk(kind, content, fencePoint)) return undefined;
        const timeoutSeconds = seconds("timeout") ?? (kind === "check" ? DEFAULT_CHECK_TIMEOUT_SECONDS : DEFAULT_SETUP_TIMEOUT_SECONDS);
        if (kind === "setup") return { kind, script: content, timeoutSeconds, position };
        if (options.required === true && options.optional === true) {
          this.report(
            fencePoint,
            "The ```check block is both required and optional.",
            "Keep one: required (Next waits for the check) or optional (it never does).",
          );
          return undefined;
        }
        const gate = options.required === true ? "required" : options.optional === true ? "optional" : undefined;
        return { kind, script: content, timeoutSeconds, ...(gate ? { gate } : {}), position };
      }
    }
  }

  /** Parses a hint's or solution's content as Markdown, keeping positions in this file. */
  private nested(content: string, place: PagePlace, fencePoint: { line: number; column: number }): ParsedPage {
    const nested = parsePage(content, {
      file: this.options.file,
      place,
      checkShellSyntax: this.options.checkShellSyntax,
      lineOffset: this.lineOffset + fencePoint.line,
      columnOffset: this.columnOffset + fencePoint.column - 1,
    });
    this.problems.push(...nested.problems);
    this.portLinks.push(...nested.portLinks);
    return nested;
  }

  private shellSyntaxOk(kind: "check" | "setup", script: string, fencePoint: { line: number; column: number }): boolean {
    const error = this.options.checkShellSyntax(script);
    if (!error) return true;
    this.report(
      { line: fencePoint.line + error.line, column: fencePoint.column },
      `The ${kind} script does not pass \`bash -n\`: ${error.message}.`,
      "Fix the shell syntax on this line; `bash -n script.sh` shows the same error.",
    );
    return false;
  }
}

function plainText(node: Nodes): string {
  if ("value" in node && typeof node.value === "string" && node.type !== "code" && node.type !== "html") return node.value;
  if ("children" in node) return node.children.map((child) => plainText(child)).join("");
  return "";
}

/** The point of a character inside a text node (text nodes may span lines). */
function pointInText(start: { line: number; column: number }, value: string, index: number): { line: number; column: number } {
  const before = value.slice(0, index);
  const newlines = before.split("\n").length - 1;
  if (newlines === 0) return { line: start.line, column: start.column + index };
  return { line: start.line + newlines, column: before.length - before.lastIndexOf("\n") };
}

function describePlace(place: PagePlace): string {
  switch (place) {
    case "intro":
      return "the intro (lesson.md)";
    case "finish":
      return "the finish page";
    case "step":
      return "a step";
    case "solution":
      return "a solution";
    case "hint":
      return "a hint";
    case "variant":
      return "a variant";
  }
}

function whereKindBelongs(kind: BlockKind): string {
  const places = kindSpec(kind).places.map(describePlace);
  const nestedAdvice =
    kind === "run" || kind === "file" || kind === "copy" ? " To show a command in a hint, use a plain ```sh sample." : "";
  return `A ${kind} block (${kindSpec(kind).means}) belongs in ${places.join(" or ")}.${nestedAdvice}`;
}
