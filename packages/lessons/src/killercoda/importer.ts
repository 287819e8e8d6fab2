import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { formatImportNote, type ImportNote } from "./import-notes";
import { convertKillercodaScenario, ScenarioError } from "./scenario";

export interface ImportReport {
  scenario: string;
  out: string;
  lessonId: string;
  /** The files written, relative to `out`. */
  written: string[];
  notes: ImportNote[];
}

/**
 * Reads a Killercoda scenario folder and writes the lesson made from it into
 * a new folder. Refuses to write into a folder that holds anything, so an
 * import never overwrites a lesson.
 */
export async function importKillercodaScenario(scenarioDir: string, outDir: string): Promise<ImportReport> {
  const scenario = resolve(scenarioDir);
  const out = resolve(outDir);
  if (existsSync(out) && (await readdir(out)).length > 0) {
    throw new ScenarioError(`${outDir} already exists and is not empty.`, "Choose a new folder for the imported lesson.");
  }
  const files: Record<string, Uint8Array> = {};
  const executables: string[] = [];
  for (const file of await listFiles(scenario)) {
    const path = relative(scenario, file).split(sep).join("/");
    files[path] = await readFile(file);
    if (((await stat(file)).mode & 0o111) !== 0) executables.push(path);
  }
  const converted = convertKillercodaScenario({ name: basename(scenario), files, executables });
  const written = Object.keys(converted.files).sort();
  for (const path of written) {
    const target = join(out, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, converted.files[path] ?? new Uint8Array());
  }
  return { scenario, out, lessonId: converted.lessonId, written, notes: converted.notes };
}

async function listFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((entry) => !entry.name.startsWith("."))
      .map((entry) =>
        entry.isDirectory() ? listFiles(join(directory, entry.name)) : Promise.resolve(entry.isFile() ? [join(directory, entry.name)] : []),
      ),
  );
  return nested.flat();
}

/** The import's report: what was written, then every note, unmapped first. */
export function formatImportReport(report: ImportReport, display: (file: string) => string = (file) => file): string {
  const order = { unmapped: 0, approximated: 1 };
  const notes = [...report.notes].sort((a, b) => order[a.kind] - order[b.kind]);
  const lines = [
    `Imported ${display(report.scenario)} as lesson "${report.lessonId}" in ${display(report.out)} (${report.written.length} files).`,
  ];
  const unmapped = notes.filter((note) => note.kind === "unmapped").length;
  lines.push(`${unmapped} unmapped, ${notes.length - unmapped} approximated:`);
  for (const note of notes) lines.push(`  ${formatImportNote(note, display(report.scenario))}`);
  return lines.join("\n");
}
