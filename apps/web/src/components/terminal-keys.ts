import type { Terminal } from "@xterm/xterm";

/**
 * Copy and paste as people expect from VS Code and desktop terminals:
 * Ctrl+C copies when text is selected (and interrupts otherwise),
 * Ctrl+Shift+C copies, Ctrl+V / Ctrl+Shift+V / Shift+Insert paste (the
 * browser's own paste event, which xterm.js handles), Cmd+C / Cmd+V on macOS.
 * The mouse selects; right-click gives the browser's Copy and Paste.
 */
export function terminalKeys(term: Terminal): void {
  const copySelection = () => {
    const text = term.getSelection();
    if (text) void navigator.clipboard?.writeText(text).catch(() => {});
  };
  term.attachCustomKeyEventHandler((event) => {
    if (event.type !== "keydown") return true;
    const key = event.key.toLowerCase();
    const mod = event.ctrlKey || event.metaKey;
    if (mod && key === "c" && (event.shiftKey || term.hasSelection())) {
      copySelection();
      if (!event.shiftKey) term.clearSelection();
      event.preventDefault();
      return false;
    }
    // Leave the key to the browser, which then fires the paste event xterm.js listens to.
    if ((mod && key === "v") || (event.shiftKey && key === "insert")) return false;
    return true;
  });
}
