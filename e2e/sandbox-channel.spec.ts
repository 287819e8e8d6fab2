import { expect, type Page, test } from "@playwright/test";

interface BrowserGlobals {
  location: { origin: string };
  WebSocket: new (url: string) => { send(data: string): void; close(): void; onmessage: ((event: { data: unknown }) => void) | null };
}

/** Opens the /sandbox namespace from the page with socket.io's wire protocol and returns the gateway's first answer. */
function joinSandboxChannel(page: Page, sessionId: string): Promise<string> {
  return page.evaluate(
    (id) =>
      new Promise<string>((resolve) => {
        const browser = globalThis as unknown as BrowserGlobals;
        const socket = new browser.WebSocket(`${browser.location.origin.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`);
        socket.onmessage = ({ data }) => {
          const text = String(data);
          if (text.startsWith("0{")) socket.send(`40/sandbox,${JSON.stringify({ sessionId: id })}`);
          else if (text.startsWith("40/sandbox") || text.startsWith("44/sandbox")) {
            socket.close();
            resolve(text);
          }
        };
      }),
    sessionId,
  );
}

test("the sandbox channel admits the session's owner only", async ({ page, browser }) => {
  await page.goto("/lessons/commit-a-container");
  const sessionId = await page.evaluate(async () => {
    const response = await fetch("/api/sessions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ lessonId: "commit-a-container" }),
    });
    return ((await response.json()) as { id: string }).id;
  });
  expect(await joinSandboxChannel(page, sessionId)).toMatch(/^40\/sandbox,/);

  const stranger = await browser.newContext();
  try {
    const other = await stranger.newPage();
    await other.goto("/");
    expect(await joinSandboxChannel(other, sessionId)).toMatch(/^44\/sandbox,\{"message":"Refused: /);
  } finally {
    await stranger.close();
  }
  expect(await page.evaluate(async (id) => (await fetch(`/api/sessions/${id}`, { method: "DELETE" })).status, sessionId)).toBe(204);
  // An ended session's channel is closed to its owner too.
  expect(await joinSandboxChannel(page, sessionId)).toMatch(/^44\/sandbox,\{"message":"Refused: the session is gone\."/);
});
