import { type PreviewPage, previewPage } from "@drydock/protocol";

/** What the web gateway shows on a preview host when it will not, or cannot, relay to the sandbox. */
export function noAccess(): PreviewPage {
  return previewPage(
    403,
    "Forbidden",
    "This preview is private",
    "<p>Only the browser that started this sandbox may open its previews. If that is you, open the port again from your Drydock page: the link lets this browser in.</p>",
  );
}

export function grantRefused(): PreviewPage {
  return previewPage(
    403,
    "Forbidden",
    "This link has expired",
    "<p>A preview link works once, within a minute. Open the port again from your Drydock page.</p>",
  );
}

export function noSuchPreview(): PreviewPage {
  return previewPage(404, "Not Found", "No such preview", "<p>This address is not a preview of any running sandbox.</p>");
}

export function sessionEnded(): PreviewPage {
  return previewPage(
    404,
    "Not Found",
    "This sandbox has ended",
    "<p>The session this preview belonged to is over. Start a new one from Drydock, run your app again, and open the port from there.</p>",
  );
}

export function agentUnreachable(): PreviewPage {
  return previewPage(
    502,
    "Bad Gateway",
    "The sandbox cannot be reached",
    "<p>Drydock could not reach the machine that runs your sandbox. Try again in a moment; if it persists, ask whoever runs this Drydock to check its sandbox agent.</p>",
  );
}

export function previewFailed(): PreviewPage {
  return previewPage(
    500,
    "Internal Server Error",
    "The preview failed",
    "<p>Something went wrong on Drydock's side. Reload the page in a moment.</p>",
  );
}
