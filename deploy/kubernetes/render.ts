/**
 * Writes deploy/kubernetes/rendered/ from the TypeScript manifests:
 *
 *   npm run k8s:render          (re)write every file and remove any other
 *
 * rendered.test.ts fails when the committed files differ from a fresh render.
 */
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { manifestFiles } from "./manifests";
import { defaultSettings } from "./settings";
import { kustomizationYaml, manifestYaml } from "./yaml";

export const RENDERED_DIR = join(dirname(fileURLToPath(import.meta.url)), "rendered");

/** Every rendered file's name and text. */
export function renderAll(settings = defaultSettings): Map<string, string> {
  const files = manifestFiles(settings);
  const texts = new Map(files.map((file) => [file.name, manifestYaml(file)]));
  texts.set("kustomization.yaml", kustomizationYaml(files, settings.namespace));
  return texts;
}

async function main(): Promise<void> {
  const texts = renderAll();
  await mkdir(RENDERED_DIR, { recursive: true });
  for (const stale of (await readdir(RENDERED_DIR)).filter((name) => !texts.has(name))) await rm(join(RENDERED_DIR, stale));
  for (const [name, text] of texts) await writeFile(join(RENDERED_DIR, name), text);
  console.log(JSON.stringify({ event: "k8s.rendered", dir: RENDERED_DIR, files: [...texts.keys()] }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
