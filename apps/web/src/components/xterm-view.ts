import { FitAddon } from "@xterm/addon-fit";
import { WebLinksAddon } from "@xterm/addon-web-links";
import { Terminal as XTerm } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";

export interface XtermView {
  term: XTerm;
  dispose(): void;
}

/** An xterm.js terminal drawn in an element and fitted to it as it resizes; Drydock's look in every terminal it shows. */
export function openXterm(element: HTMLElement, options: { readOnly?: boolean } = {}): XtermView {
  const term = new XTerm({
    cursorBlink: !options.readOnly,
    disableStdin: options.readOnly ?? false,
    fontSize: 14,
    scrollback: 5000,
    theme: { background: "#0b0e13", selectionBackground: "#3a5a9a" },
    // Right-click opens the browser's menu (Copy, Paste) on the selected word, as in VS Code's terminal.
    rightClickSelectsWord: true,
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.loadAddon(new WebLinksAddon((_event, uri) => window.open(uri, "_blank", "noopener,noreferrer")));
  term.open(element);
  const refit = () => {
    if (element.clientWidth > 0 && element.clientHeight > 0) fit.fit();
  };
  refit();
  const observer = new ResizeObserver(refit);
  observer.observe(element);
  return {
    term,
    dispose() {
      observer.disconnect();
      term.dispose();
    },
  };
}
