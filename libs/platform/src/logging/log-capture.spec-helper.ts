import type { DestinationStream } from 'pino';

/** A destination that keeps each line, parsed, for a test to read back. */
export interface LogCapture extends DestinationStream {
  readonly lines: string[];
  records(): Record<string, unknown>[];
}

export function captureLog(): LogCapture {
  const lines: string[] = [];
  return {
    lines,
    write: (line: string): void => {
      lines.push(line);
    },
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
