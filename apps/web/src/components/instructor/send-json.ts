/** What a call of the instructor API came to: its JSON, or the server's message (or a network failure's) to show. */
export type ApiOutcome<T> = { ok: true; data: T } | { ok: false; error: string };

/** Sends JSON to the instructor API and reads `{error}` refusals; never throws. */
export async function sendJson<T>(method: "POST" | "PUT" | "DELETE", url: string, body?: unknown): Promise<ApiOutcome<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, error: "The server could not be reached. Check your connection and try again; nothing you typed is lost." };
  }
  const data = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) return { ok: false, error: data.error ?? `The server answered ${response.status}; try again.` };
  return { ok: true, data: data as T };
}
