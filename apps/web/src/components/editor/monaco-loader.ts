/**
 * Monaco from the installed package (never a CDN), loaded on first use. Its
 * workers are bundled by Next from the same package, each in its own file.
 * Dockerfiles get the Dockerfile language service (dockerfile-monaco.ts).
 */
export type Monaco = typeof import("monaco-editor");

let loading: Promise<Monaco> | undefined;

export function loadMonaco(): Promise<Monaco> {
  loading ??= (async () => {
    self.MonacoEnvironment = {
      getWorker(_workerId: string, label: string) {
        switch (label) {
          case "json":
            return new Worker(new URL("monaco-editor/language/json/json.worker.js", import.meta.url), { type: "module" });
          case "css":
          case "scss":
          case "less":
            return new Worker(new URL("monaco-editor/language/css/css.worker.js", import.meta.url), { type: "module" });
          case "html":
          case "handlebars":
          case "razor":
            return new Worker(new URL("monaco-editor/language/html/html.worker.js", import.meta.url), { type: "module" });
          case "typescript":
          case "javascript":
            return new Worker(new URL("monaco-editor/language/typescript/ts.worker.js", import.meta.url), { type: "module" });
          default:
            return new Worker(new URL("monaco-editor/editor/editor.worker.js", import.meta.url), { type: "module" });
        }
      },
    };
    const [monaco, { installDockerfileSupport }] = await Promise.all([import("monaco-editor"), import("./dockerfile-monaco")]);
    installDockerfileSupport(monaco);
    return monaco;
  })();
  return loading;
}
