// Loaded into the page by scripts/bench-dockerfile.ts (before the page's own
// scripts): each keydown's time, and, one frame after the problems line under
// the editor appears or goes, the time since the last keydown.
const probe = { keyAt: 0, samples: [] };
globalThis.__dockerfileBench = probe;

addEventListener("keydown", () => (probe.keyAt = performance.now()), true);

addEventListener("DOMContentLoaded", () => {
  const shown = () => document.querySelector("[data-testid=dockerfile-problems]") !== null;
  let wasShown = shown();
  new MutationObserver(() => {
    if (shown() === wasShown) return;
    wasShown = shown();
    requestAnimationFrame(() => probe.samples.push(performance.now() - probe.keyAt));
  }).observe(document.body, { childList: true, subtree: true });
});
