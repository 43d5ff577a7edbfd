/**
 * Paths into a document as the platform and these checks write them: `spec.users[2].profile`
 * (array index as in the file) or `spec.users[extension=204]` (the item whose field has that
 * value). Paths are relative to the document root.
 */
export type PathSegment =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'match'; readonly field: string; readonly value: string };

const SEGMENT = /\.?([^.[\]]+)|\[([^\]]*)\]/y;

/** The segments of a path, as far as it can be read; an unreadable rest is dropped. */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  SEGMENT.lastIndex = 0;
  while (SEGMENT.lastIndex < path.length) {
    const match = SEGMENT.exec(path);
    if (match === null) break;
    const [, key, bracket] = match;
    if (key !== undefined) {
      segments.push({ kind: 'key', key });
    } else if (/^\d+$/.test(bracket)) {
      segments.push({ kind: 'index', index: Number(bracket) });
    } else {
      const equals = bracket.indexOf('=');
      if (equals <= 0) break;
      const value = bracket.slice(equals + 1).replace(/^"(.*)"$/, '$1');
      segments.push({ kind: 'match', field: bracket.slice(0, equals), value });
    }
  }
  return segments;
}

export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}
