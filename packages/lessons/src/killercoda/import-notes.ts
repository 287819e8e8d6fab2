/**
 * What the importer could not carry over faithfully. "unmapped": a feature
 * with no equivalent, left out (or replaced by a placeholder to fill in).
 * "approximated": carried over with a different behaviour worth checking.
 */
export interface ImportNote {
  kind: "unmapped" | "approximated";
  /** The scenario file it concerns, relative to the scenario folder. */
  file: string;
  line?: number;
  message: string;
}

export function formatImportNote(note: ImportNote, scenarioPath: string): string {
  const place = `${scenarioPath}/${note.file}${note.line !== undefined ? `:${note.line}` : ""}`;
  return `${place}: ${note.kind}: ${note.message}`;
}
