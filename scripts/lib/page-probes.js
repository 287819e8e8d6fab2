// Loaded into each page by scripts/bench-web.ts (before the page's own scripts):
// when Start is clicked, when the prompt is drawn, and, for each "x" typed,
// when the first terminal bytes reach the page's sockets and when the
// terminal's rows change.
const probe = { clickAt: 0, promptAt: 0, keyAt: 0, echoes: [], paints: [], waitingEcho: false, waitingPaint: false };
globalThis.__bench = probe;

const NativeSocket = globalThis.WebSocket;
globalThis.WebSocket = class extends NativeSocket {
  constructor(url, protocols) {
    super(url, protocols);
    this.addEventListener("message", () => {
      if (!probe.waitingEcho) return;
      probe.waitingEcho = false;
      probe.echoes.push(performance.now() - probe.keyAt);
    });
  }
};

document.addEventListener(
  "click",
  (event) => {
    if (event.target.closest?.("button")?.textContent === "Start") probe.clickAt = performance.now();
  },
  true,
);

document.addEventListener(
  "keydown",
  (event) => {
    if (event.key !== "x") return;
    probe.keyAt = performance.now();
    probe.waitingEcho = true;
    probe.waitingPaint = true;
  },
  true,
);

new MutationObserver(() => {
  const rows = document.querySelector("[data-testid=terminal] .xterm-rows");
  if (!rows) return;
  if (!probe.promptAt && rows.textContent?.includes("@sandbox")) probe.promptAt = performance.now();
  if (probe.waitingPaint) {
    probe.waitingPaint = false;
    probe.paints.push(performance.now() - probe.keyAt);
  }
}).observe(document, { subtree: true, childList: true, characterData: true });
