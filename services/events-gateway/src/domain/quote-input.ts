const MAX_QUOTED = 60;

/** Input quoted for an error message: one line, and cut so hostile input cannot flood a log. */
export function quoteInput(text: string): string {
  return JSON.stringify(text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}...` : text);
}
