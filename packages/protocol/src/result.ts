/** The answer to every request made over a socket: a value, or an error a person can act on. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: string; hint?: string };

export type Ack<T> = (reply: Reply<T>) => void;
