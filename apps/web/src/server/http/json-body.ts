import { HttpError } from "./http-error";

/** Bodies of the instructor API are small forms; anything larger is refused before parsing. */
const MAX_BODY_BYTES = 64 * 1024;

/** The request's JSON body, or a 400 that says what to send instead. */
export async function readJsonBody(request: Request, expected: string): Promise<unknown> {
  const tooLarge = new HttpError(`The body is too large. Send ${expected}.`, 413);
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) throw tooLarge;
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw tooLarge;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(`The body is not JSON. Send ${expected}.`, 400);
  }
}

/** A string field of a JSON object body ("" when absent, not a string, or the body is no object, which the caller's checks then refuse). */
export function stringField(body: unknown, key: string): string {
  const value = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)[key] : undefined;
  return typeof value === "string" ? value : "";
}
