import { err, ok, type Result } from '@pbx/domain';
import { quoteInput } from './quote-input';

/** A pattern is an exact type, a dotted prefix followed by `.*`, or `*` for everything. */
const PATTERN =
  /^(?:\*|[a-z][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)*\.\*|[a-z][a-z0-9.-]*\.[A-Z][A-Za-z0-9]*)$/;
export const MAX_PATTERNS = 50;
const MAX_PATTERN_LENGTH = 200;

/**
 * Which events a webhook or a stream wants: `pbx.calls.v1.CallStarted`, `pbx.calls.v1.*`,
 * `pbx.calls.*` or `*`. Patterns are checked against the known types, so that a typo is refused
 * when the webhook is made instead of silently never matching.
 */
export class EventTypeFilter {
  private constructor(
    /** The patterns as given, without duplicates. */
    readonly patterns: readonly string[],
    /** Exact types; empty when `all`. */
    readonly exact: readonly string[],
    /** Prefixes of `prefix.*` patterns, each ending with its dot. */
    readonly prefixes: readonly string[],
    readonly all: boolean,
  ) {}

  static parse(
    input: readonly string[],
    known: readonly string[],
  ): Result<EventTypeFilter, string[]> {
    const problems: string[] = [];
    if (input.length === 0) problems.push('at least one event type is required');
    if (input.length > MAX_PATTERNS) problems.push(`at most ${MAX_PATTERNS} event types`);
    const patterns = [...new Set(input)];
    const exact: string[] = [];
    const prefixes: string[] = [];
    for (const pattern of patterns) {
      if (pattern.length > MAX_PATTERN_LENGTH || !PATTERN.test(pattern)) {
        problems.push(
          `${quoteInput(pattern)} is not an event type pattern (e.g. pbx.calls.v1.CallStarted, pbx.calls.v1.* or *)`,
        );
      } else if (pattern === '*') {
        // Handled below: everything.
      } else if (pattern.endsWith('.*')) {
        const prefix = pattern.slice(0, -1);
        if (known.some((type) => type.startsWith(prefix))) prefixes.push(prefix);
        else problems.push(`${quoteInput(pattern)} matches no event type the platform publishes`);
      } else if (known.includes(pattern)) {
        exact.push(pattern);
      } else {
        problems.push(`${quoteInput(pattern)} is not an event type the platform publishes`);
      }
    }
    if (problems.length > 0) return err(problems);
    const all = patterns.includes('*');
    return ok(new EventTypeFilter(patterns, all ? [] : exact, all ? [] : prefixes, all));
  }

  /**
   * A filter from patterns stored when a webhook was made (checked then): the types published may
   * change between builds, and a stored webhook must keep matching what it can.
   */
  static stored(patterns: readonly string[]): EventTypeFilter {
    const all = patterns.includes('*');
    return new EventTypeFilter(
      patterns,
      all ? [] : patterns.filter((p) => !p.endsWith('*')),
      all ? [] : patterns.filter((p) => p.endsWith('.*')).map((p) => p.slice(0, -1)),
      all,
    );
  }

  matches(type: string): boolean {
    return (
      this.all ||
      this.exact.includes(type) ||
      this.prefixes.some((prefix) => type.startsWith(prefix))
    );
  }
}
