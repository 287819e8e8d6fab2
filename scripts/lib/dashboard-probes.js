// Loaded into the dashboard page by bench-dashboard.ts (addInitScript): what
// the benchmark measures from inside the page, where the frames happen.
(() => {
  const whenTrue = (test) =>
    new Promise((resolve) => {
      const look = () => (test() ? resolve(performance.now()) : requestAnimationFrame(look));
      look();
    });
  const rows = () => document.querySelectorAll("[data-testid=seat-grid] tbody tr");
  const frames = [];
  const longTasks = [];
  let watching = false;
  window.__dashboard = {
    /** When `count` rows are painted (performance.now()). */
    rowsPainted: (count) => whenTrue(() => rows().length >= count),
    /** When `count` rows show their n-th cell (1-based, among the row's cells) as the current step. */
    currentPainted: (count, cell) =>
      whenTrue(() => document.querySelectorAll(`[data-testid=seat-grid] tbody tr td.cell:nth-of-type(${cell}).current`).length >= count),
    now: () => performance.now(),
    watch() {
      watching = true;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longTasks.push(entry.duration);
      }).observe({ type: "longtask" });
      let last = performance.now();
      const tick = (now) => {
        if (!watching) return;
        frames.push(now - last);
        last = now;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    },
    stop() {
      watching = false;
      return { frames: frames.slice(1), longTasks };
    },
  };
})();
