/**
 * A page whose own scripts fail to load (a dropped connection, the browser
 * seeing its network change, a deploy that replaced them while the tab was
 * open) stays as the server rendered it and never becomes interactive: its
 * forms stay disabled (UntilHydrated) with nothing said. It is reloaded, as a
 * person would, at most once a minute, so a script that is really gone cannot
 * reload it for ever. Inline and first in the head: it must listen before
 * the page's scripts load, and it cannot be one of them.
 */
const RELOAD_ON_FAILED_SCRIPT = `addEventListener("error", function (event) {
  var script = event.target;
  if (!script || script.tagName !== "SCRIPT" || !script.src || script.src.indexOf("/_next/") < 0) return;
  try {
    var last = Number(sessionStorage.getItem("drydock-reloaded-at") || 0);
    if (Date.now() - last < 60000) return;
    sessionStorage.setItem("drydock-reloaded-at", String(Date.now()));
  } catch (unavailable) {
    return;
  }
  location.reload();
}, true);`;

export function ReloadOnFailedScript() {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: a constant of this file, not anyone's input.
  return <script dangerouslySetInnerHTML={{ __html: RELOAD_ON_FAILED_SCRIPT }} />;
}
