import type { editor, languages } from "monaco-editor";
import { DOCKERFILE_LANGUAGE } from "./dockerfile-files";
import { MARKER_SOURCE, toMarker, toMonacoRange, toServicePosition, toSuggestion } from "./dockerfile-monaco-convert";
import type { DockerfileProblem } from "./dockerfile-problem";
import { dockerfileCompletions, dockerfileHover, dockerfileProblems } from "./dockerfile-service";
import { DIAGNOSTICS_PAUSE_MS } from "./dockerfile-timing";
import type { Monaco } from "./monaco-loader";

/** The owner of the markers this module sets, for readers of them (the problems line). */
export const DOCKERFILE_MARKERS = "dockerfile";

/** The last problems of each Dockerfile model, behind its markers: for quick fixes and the problems line. */
const latest = new WeakMap<editor.ITextModel, DockerfileProblem[]>();

/** The problems behind a model's current markers (none for a model that is not a Dockerfile). */
export function dockerfileProblemsOf(model: editor.ITextModel): readonly DockerfileProblem[] {
  return latest.get(model) ?? [];
}
let installed = false;

/** Gives every Dockerfile model in this Monaco diagnostics, completion, hover documentation and quick fixes. Once per page. */
export function installDockerfileSupport(monaco: Monaco): void {
  if (installed) return;
  installed = true;

  const diagnose = (model: editor.ITextModel) => {
    const problems = dockerfileProblems(model.getValue());
    latest.set(model, problems);
    monaco.editor.setModelMarkers(
      model,
      DOCKERFILE_MARKERS,
      problems.map((problem) => toMarker(problem, monaco)),
    );
  };
  const watch = (model: editor.ITextModel) => {
    if (model.getLanguageId() !== DOCKERFILE_LANGUAGE) return;
    let pause: ReturnType<typeof setTimeout> | undefined;
    diagnose(model);
    const typing = model.onDidChangeContent(() => {
      clearTimeout(pause);
      pause = setTimeout(() => diagnose(model), DIAGNOSTICS_PAUSE_MS);
    });
    model.onWillDispose(() => {
      clearTimeout(pause);
      typing.dispose();
    });
  };
  for (const model of monaco.editor.getModels()) watch(model);
  monaco.editor.onDidCreateModel(watch);

  monaco.languages.registerCompletionItemProvider(DOCKERFILE_LANGUAGE, {
    // `-` starts a flag (`COPY --`), `$` a variable.
    triggerCharacters: ["-", "$"],
    async provideCompletionItems(model, position) {
      const items = await dockerfileCompletions(model.getValue(), toServicePosition(position));
      const word = model.getWordUntilPosition(position);
      const wordRange = {
        startLineNumber: position.lineNumber,
        endLineNumber: position.lineNumber,
        startColumn: word.startColumn,
        endColumn: word.endColumn,
      };
      return { suggestions: items.map((item) => toSuggestion(item, wordRange, monaco.languages)) };
    },
  });

  monaco.languages.registerHoverProvider(DOCKERFILE_LANGUAGE, {
    provideHover(model, position) {
      const documentation = dockerfileHover(model.getValue(), toServicePosition(position));
      return documentation ? { contents: [{ value: documentation }] } : null;
    },
  });

  monaco.languages.registerCodeActionProvider(DOCKERFILE_LANGUAGE, {
    provideCodeActions(model, _range, context) {
      const ours = context.markers.filter((marker) => marker.source === MARKER_SOURCE);
      const actions: languages.CodeAction[] = (latest.get(model) ?? []).flatMap((problem) => {
        const range = toMonacoRange(problem.range);
        const marker = ours.find(
          (candidate) => candidate.startLineNumber === range.startLineNumber && candidate.startColumn === range.startColumn,
        );
        if (!marker || !problem.replacement) return [];
        return [
          {
            title: `Change to ${problem.replacement}`,
            kind: "quickfix",
            diagnostics: [marker],
            isPreferred: true,
            edit: { edits: [{ resource: model.uri, versionId: model.getVersionId(), textEdit: { range, text: problem.replacement } }] },
          },
        ];
      });
      return { actions, dispose() {} };
    },
  });
}
