import type { DestinationStream } from 'pino';

/** Something that takes text, like `process.stdout`. */
export interface TextSink {
  write(text: string): unknown;
}

const SHOWN_ELSEWHERE = new Set([
  'level',
  'time',
  'service',
  'context',
  'msg',
  'pid',
  'hostname',
  'err',
  'stack',
]);

function formatLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const time = typeof record.time === 'string' ? record.time.slice(11, 23) : '';
  const level = String(record.level ?? '')
    .toUpperCase()
    .padEnd(5);
  const where =
    record.context === undefined
      ? String(record.service)
      : `${String(record.service)}/${String(record.context)}`;
  const rest = Object.fromEntries(
    Object.entries(record).filter(([key]) => !SHOWN_ELSEWHERE.has(key)),
  );
  const fields = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  const err = record.err as { stack?: unknown } | undefined;
  const stack =
    typeof err?.stack === 'string'
      ? err.stack
      : typeof record.stack === 'string'
        ? record.stack
        : undefined;
  return `${time} ${level} [${where}] ${String(record.msg ?? '')}${fields}\n${stack === undefined ? '' : `${stack}\n`}`;
}

/**
 * A destination that turns each JSON line into one readable line, for a developer's terminal.
 * Synchronous and dependency-free; production keeps the JSON.
 */
export function createPrettyDestination(sink: TextSink): DestinationStream {
  return { write: (line: string): void => void sink.write(formatLine(line)) };
}
