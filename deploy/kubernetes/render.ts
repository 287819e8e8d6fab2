/**
 * Writes Drydock's Kubernetes YAML from the TypeScript manifests:
 *
 *   npm run k8s:render                                      the defaults, into deploy/kubernetes/rendered/
 *   npm run k8s:render -- --settings my.json --out DIR      a cluster's own settings (settings.ts) into DIR
 *
 * Each run rewrites every file and removes any other .yaml in the folder.
 * rendered.test.ts fails when the committed rendered/ differs from a fresh render.
 */
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { manifestFiles } from "./manifests";
import { type ClusterSettings, defaultSettings, parseClusterSettings } from "./settings";
import { kustomizationYaml, manifestYaml } from "./yaml";

export const RENDERED_DIR = join(dirname(fileURLToPath(import.meta.url)), "rendered");

/** Every rendered file's name and text. */
export function renderAll(settings: ClusterSettings = defaultSettings): Map<string, string> {
  const files = manifestFiles(settings);
  const texts = new Map(files.map((file) => [file.name, manifestYaml(file)]));
  texts.set("kustomization.yaml", kustomizationYaml(files, settings.namespace));
  return texts;
}

/** The settings and the folder a command line asks for; a mistake is an Error saying what to write instead. */
export async function renderRequest(args: string[]): Promise<{ settings: ClusterSettings; out: string }> {
  const { values } = parseArgs({ args, options: { settings: { type: "string" }, out: { type: "string" } }, strict: true });
  if (!values.settings) return { settings: defaultSettings, out: values.out ? resolve(values.out) : RENDERED_DIR };
  if (!values.out) throw new Error("--out DIR is needed with --settings: rendered/ holds the defaults the tests compare against.");
  const out = resolve(values.out);
  if (out === RENDERED_DIR)
    throw new Error(`--out must be another folder than ${RENDERED_DIR}, which holds the defaults the tests compare against.`);
  let input: unknown;
  try {
    input = JSON.parse(await readFile(values.settings, "utf8"));
  } catch (error) {
    throw new Error(`Cannot read the settings file ${values.settings}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { settings: parseClusterSettings(input), out };
}

export async function writeRendered(texts: Map<string, string>, out: string): Promise<void> {
  await mkdir(out, { recursive: true });
  const stale = (await readdir(out)).filter((name) => name.endsWith(".yaml") && !texts.has(name));
  for (const name of stale) await rm(join(out, name));
  for (const [name, text] of texts) await writeFile(join(out, name), text);
}

async function main(): Promise<void> {
  try {
    const { settings, out } = await renderRequest(process.argv.slice(2));
    const texts = renderAll(settings);
    await writeRendered(texts, out);
    console.log(JSON.stringify({ event: "k8s.rendered", dir: out, files: [...texts.keys()] }));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
