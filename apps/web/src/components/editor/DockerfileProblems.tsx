"use client";

import type { editor } from "monaco-editor";
import { useEffect, useState } from "react";
import styles from "./DockerfileProblems.module.css";
import { DOCKERFILE_MARKERS } from "./dockerfile-monaco";
import type { Monaco } from "./monaco-loader";

interface Props {
  monaco: Monaco;
  model: editor.ITextModel;
  /** Puts the cursor on a problem. */
  onReveal: (lineNumber: number, column: number) => void;
}

const SYMBOLS = { error: "✕", warning: "!", info: "i" } as const;

/**
 * The open Dockerfile's problems as a list under the editor, so a learner
 * sees them without hovering a squiggle, and a screen reader hears them.
 * Nothing here stops a save: the file is theirs to keep as it is.
 */
export function DockerfileProblems({ monaco, model, onReveal }: Props) {
  const [markers, setMarkers] = useState<editor.IMarker[]>([]);

  useEffect(() => {
    const read = () => setMarkers(monaco.editor.getModelMarkers({ owner: DOCKERFILE_MARKERS, resource: model.uri }));
    read();
    const changes = monaco.editor.onDidChangeMarkers((uris) => {
      if (uris.some((uri) => uri.toString() === model.uri.toString())) read();
    });
    return () => changes.dispose();
  }, [monaco, model]);

  if (markers.length === 0) return null;
  const level = (marker: editor.IMarker) =>
    marker.severity === monaco.MarkerSeverity.Error ? "error" : marker.severity === monaco.MarkerSeverity.Warning ? "warning" : "info";
  return (
    <section className={styles.problems} aria-label="Dockerfile problems" data-testid="dockerfile-problems">
      <ul>
        {markers.map((marker) => (
          <li key={`${marker.startLineNumber}:${marker.startColumn}:${marker.message}`} className={styles[level(marker)]}>
            <button type="button" onClick={() => onReveal(marker.startLineNumber, marker.startColumn)} title="Go to this line">
              <span aria-hidden="true" className={styles.symbol}>
                {SYMBOLS[level(marker)]}
              </span>
              <span className="sr-only">{level(marker)}: </span>
              Line {marker.startLineNumber}
            </button>{" "}
            <span>{withCode(marker.message)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The sentences quote Dockerfile text between backticks: shown as code. */
function withCode(message: string) {
  return message.split("`").map((part, index) =>
    index % 2 === 1 ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed sentence, never reordered.
      <code key={index}>{part}</code>
    ) : (
      part
    ),
  );
}
