/**
 * A copy of `text` that holds on to nothing else. V8 represents a substring as a slice of its
 * parent and a concatenation as a pair of its parts, so a short key cut from a received message
 * keeps the whole message text alive for as long as the key lives. Keys kept for seconds or
 * minutes (retained responses, nonce counts, caches) go through here: each one otherwise made
 * a received message survive into the old generation, and copying those survivors was most of
 * what the young-generation collector did under a REGISTER load.
 */
export function ownString(text: string): string {
  // Concatenating gives a pair; slicing a pair first flattens it into a new string of its own,
  // of which the result is then a slice. Short strings are always copied, never sliced.
  return text.length < 13 ? text : ` ${text}`.slice(1);
}
