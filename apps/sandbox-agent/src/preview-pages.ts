import { type PreviewPage, previewPage } from "@drydock/protocol";

/** What the agent shows in the preview tab when it cannot show the learner's app. */
export function nothingListening(port: number): PreviewPage {
  return previewPage(
    502,
    "Bad Gateway",
    `Nothing is listening on port ${port} yet`,
    `<p>Nothing is listening on port ${port} in your sandbox yet — run your app, e.g. <code>docker run -p ${port}:5000 …</code> or <code>python3 -m http.server ${port}</code>, then reload this page.</p>
<p>If your app runs already, check that it listens on <code>0.0.0.0</code>, not only on <code>127.0.0.1</code>.</p>`,
  );
}

export function noAnswer(port: number, timedOut: boolean): PreviewPage {
  return previewPage(
    timedOut ? 504 : 502,
    timedOut ? "Gateway Timeout" : "Bad Gateway",
    `Port ${port} did not answer`,
    `<p>Your app on port ${port} ${timedOut ? "took too long to answer" : "closed the connection without answering"}. Check its output in the terminal, then reload this page.</p>`,
  );
}

export function sandboxNotRunning(): PreviewPage {
  return previewPage(
    404,
    "Not Found",
    "Your sandbox is not running",
    "<p>This preview's sandbox has ended. Start a new one from Drydock, run your app again, and open the port from there.</p>",
  );
}
