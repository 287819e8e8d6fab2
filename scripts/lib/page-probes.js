// Loaded into each page by scripts/bench-web.ts (before the page's own scripts):
// when Start is clicked, when the prompt is painted, and, for each "x" typed,
// when the first terminal bytes reach the page's sockets and when the
// terminal's rows change.
const probe = { clickAt: 0, promptSeenAt: 0, promptAt: 0, keyAt: 0, echoes: [], paints: [], waitingEcho: false, waitingPaint: false };
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
    if (event.target.closest?.("button")?.textContent !== "Start") return;
    probe.clickAt = performance.now();
    performance.mark("bench:click");
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

/**
 * Painted, not merely in the DOM: the next animation frame after the text
 * appears, then a task, which runs once that frame's rendering is done.
 */
function afterNextPaint(callback) {
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => callback(performance.now());
    channel.port2.postMessage(undefined);
  });
}

new MutationObserver(() => {
  const rows = document.querySelector("[data-testid=terminal] .xterm-rows");
  if (!rows) return;
  if (!probe.promptSeenAt && rows.textContent?.includes("@sandbox")) {
    probe.promptSeenAt = performance.now();
    performance.mark("bench:prompt-in-dom");
    afterNextPaint((at) => {
      probe.promptAt = at;
      performance.mark("bench:prompt-painted");
    });
  }
  if (probe.waitingPaint) {
    probe.waitingPaint = false;
    probe.paints.push(performance.now() - probe.keyAt);
  }
}).observe(document, { subtree: true, childList: true, characterData: true });
