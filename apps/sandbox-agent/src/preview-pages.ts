/**
 * The pages a learner sees in the preview tab when the agent cannot show
 * their app: what happened, and what to do, in plain words.
 */
export interface PreviewPage {
  status: number;
  reason: string;
  html: string;
}

function page(status: number, reason: string, title: string, body: string): PreviewPage {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2937}code{background:#f3f4f6;padding:.1rem .3rem;border-radius:.2rem}</style>
</head><body><h1>${title}</h1>${body}</body></html>
`;
  return { status, reason, html };
}

export function nothingListening(port: number): PreviewPage {
  return page(
    502,
    "Bad Gateway",
    `Nothing is listening on port ${port} yet`,
    `<p>Nothing is listening on port ${port} in your sandbox yet — run your app, e.g. <code>docker run -p ${port}:5000 …</code> or <code>python3 -m http.server ${port}</code>, then reload this page.</p>
<p>If your app runs already, check that it listens on <code>0.0.0.0</code>, not only on <code>127.0.0.1</code>.</p>`,
  );
}

export function noAnswer(port: number, timedOut: boolean): PreviewPage {
  return page(
    timedOut ? 504 : 502,
    timedOut ? "Gateway Timeout" : "Bad Gateway",
    `Port ${port} did not answer`,
    `<p>Your app on port ${port} ${timedOut ? "took too long to answer" : "closed the connection without answering"}. Check its output in the terminal, then reload this page.</p>`,
  );
}

export function sandboxNotRunning(): PreviewPage {
  return page(
    404,
    "Not Found",
    "Your sandbox is not running",
    "<p>This preview's sandbox has ended. Start a new one from Drydock, run your app again, and open the port from there.</p>",
  );
}
