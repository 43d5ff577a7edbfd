/**
 * The outcome of a parse or check that can fail for a reason the caller must handle. Domain code
 * returns this instead of throwing: a bad phone number in an HTTP body or a YAML file is an
 * expected input, not an exceptional one.
 */
export type Result<T, E> = Ok<T> | Err<E>;

export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}

export interface Err<E> {
  readonly ok: false;
  readonly error: E;
}

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function err<E>(error: E): Err<E> {
  return { ok: false, error };
}

const MAX_QUOTED = 60;

/**
 * Quotes user input for an error message: JSON escaping keeps the message on one line, and long
 * input is cut so that a hostile value cannot blow up a log line.
 */
export function quoteInput(text: string): string {
  return JSON.stringify(text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}...` : text);
}
