import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import { parsePath, type PathSegment } from './document-path';

/**
 * The 1-based line of the node at `path` in a parsed YAML document: the line of a key for a
 * mapping entry (so `spec.users` points at `users:`), of the item for a list entry. A path that
 * goes past what the file holds (a missing field, `users[5]` of three) falls back to the deepest
 * node that exists, which is where the missing part would go.
 */
export function lineOfPath(
  document: Document.Parsed,
  path: string,
  lineCounter: LineCounter,
): number | undefined {
  let node: unknown = document.contents;
  let offset = startOf(node);
  for (const segment of parsePath(path)) {
    if (isAlias(node)) node = node.resolve(document);
    const next = step(node, segment);
    if (next === undefined) break;
    node = next.node;
    offset = next.offset ?? offset;
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

function step(
  node: unknown,
  segment: PathSegment,
): { node: unknown; offset: number | undefined } | undefined {
  if (segment.kind === 'key') {
    if (!isMap(node)) return undefined;
    const pair = node.items.find((item) => scalarText(item.key) === segment.key);
    if (pair === undefined) return undefined;
    return { node: pair.value, offset: startOf(pair.key) ?? startOf(pair.value) };
  }
  if (!isSeq(node)) return undefined;
  const item =
    segment.kind === 'index'
      ? node.items[segment.index]
      : node.items.find(
          (candidate) =>
            isMap(candidate) && scalarText(candidate.get(segment.field, true)) === segment.value,
        );
  if (item === undefined) return undefined;
  return { node: item, offset: startOf(item) };
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null ? String(node.value) : undefined;
}

function startOf(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}
