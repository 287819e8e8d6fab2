/**
 * The plain page a preview shows instead of the learner's app (nothing
 * listens, no access, the sandbox ended): what happened and what to do.
 * Callers pass trusted HTML; nothing from a request goes into it unescaped.
 */
export interface PreviewPage {
  status: number;
  reason: string;
  html: string;
}

export function previewPage(status: number, reason: string, title: string, bodyHtml: string): PreviewPage {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2937}code{background:#f3f4f6;padding:.1rem .3rem;border-radius:.2rem}</style>
</head><body><h1>${title}</h1>${bodyHtml}</body></html>
`;
  return { status, reason, html };
}
