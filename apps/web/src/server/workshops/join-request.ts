import { HttpError } from "../http/http-error";

const MAX_BODY_CHARS = 2_000;

/** A small JSON object from a form's fetch; anything else is refused with what was expected. */
export async function readJsonObject(request: Request, expected: string): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.length > MAX_BODY_CHARS) throw new HttpError(`The request is too large. ${expected}`, 413);
  let body: unknown;
  try {
    body = JSON.parse(text || "{}");
  } catch {
    throw new HttpError(`The body is not JSON. ${expected}`, 400);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new HttpError(`Expected ${expected}`, 400);
  return body as Record<string, unknown>;
}
