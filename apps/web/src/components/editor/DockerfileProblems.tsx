"use client";

import type { editor } from "monaco-editor";
import { useEffect, useState } from "react";
import styles from "./DockerfileProblems.module.css";
import { dockerfileProblemsOf } from "./dockerfile-monaco";
import type { DockerfileProblem } from "./dockerfile-problem";
import type { Monaco } from "./monaco-loader";

interface Props {
  monaco: Monaco;
  model: editor.ITextModel;
  /** Puts the cursor on a problem (1-based, as Monaco counts). */
  onReveal: (lineNumber: number, column: number) => void;
}

const SYMBOLS = { error: "✕", warning: "!", info: "i" } as const;

/**
 * The open Dockerfile's problems as a list under the editor, so a learner
 * sees them without hovering a squiggle, and a screen reader hears them.
 * Each keeps the language service's own words, which are close to what
 * `docker build` prints. Nothing here stops a save: the file is theirs.
 */
export function DockerfileProblems({ monaco, model, onReveal }: Props) {
  const [problems, setProblems] = useState<readonly DockerfileProblem[]>([]);

  useEffect(() => {
    const read = () => setProblems(dockerfileProblemsOf(model));
    read();
    // The problems are renewed together with the markers.
    const changes = monaco.editor.onDidChangeMarkers((uris) => {
      if (uris.some((uri) => uri.toString() === model.uri.toString())) read();
    });
    return () => changes.dispose();
  }, [monaco, model]);

  if (problems.length === 0) return null;
  return (
    <section className={styles.problems} aria-label="Dockerfile problems" data-testid="dockerfile-problems">
      <ul>
        {problems.map((problem) => {
          const { line, character } = problem.range.start;
          return (
            <li key={`${line}:${character}:${problem.code}`} className={styles[problem.severity]}>
              <button type="button" onClick={() => onReveal(line + 1, character + 1)} title="Go to this line">
                <span aria-hidden="true" className={styles.symbol}>
                  {SYMBOLS[problem.severity]}
                </span>
                <span className="sr-only">{problem.severity}: </span>
                Line {line + 1}
              </button>{" "}
              <span>{withCode(problem.message)}</span>
              {problem.detail && <span className={styles.detail}> Docker's words: {problem.detail}</span>}
            </li>
          );
        })}
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
