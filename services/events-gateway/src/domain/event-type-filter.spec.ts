import { ALL_PUBLIC_EVENT_TYPES } from './public-event-types';
import { EventTypeFilter } from './event-type-filter';

const parse = (patterns: string[]): EventTypeFilter => {
  const result = EventTypeFilter.parse(patterns, ALL_PUBLIC_EVENT_TYPES);
  if (!result.ok) throw new Error(result.error.join('; '));
  return result.value;
};

describe(EventTypeFilter.name, () => {
  it('matches an exact type and nothing else', () => {
    const filter = parse(['pbx.calls.v1.CallStarted']);
    expect(filter.matches('pbx.calls.v1.CallStarted')).toBe(true);
    expect(filter.matches('pbx.calls.v1.CallEnded')).toBe(false);
  });

  it('matches every type under a dotted prefix, on segment boundaries only', () => {
    const filter = parse(['pbx.calls.v1.*', 'pbx.registrations.*']);
    expect(filter.matches('pbx.calls.v1.CallEnded')).toBe(true);
    expect(filter.matches('pbx.registrations.v1.DeviceRegistered')).toBe(true);
    expect(filter.matches('pbx.provisioning.v1.UserAdded')).toBe(false);
    expect(filter.prefixes).toEqual(['pbx.calls.v1.', 'pbx.registrations.']);
  });

  it('matches everything with *', () => {
    const filter = parse(['*', 'pbx.calls.v1.CallEnded']);
    expect(filter.all).toBe(true);
    expect(filter.matches('pbx.numbers.v1.NumberAssigned')).toBe(true);
  });

  it('drops duplicates', () => {
    expect(parse(['pbx.calls.*', 'pbx.calls.*']).patterns).toEqual(['pbx.calls.*']);
  });

  it('refuses unknown types, prefixes that match nothing, bad syntax and an empty list', () => {
    const result = EventTypeFilter.parse(
      ['pbx.calls.v1.CallStart', 'pbx.fax.*', 'pbx.calls*', "'; DROP TABLE x", 'pbx.%.*'],
      ALL_PUBLIC_EVENT_TYPES,
    );
    expect(result).toEqual({
      ok: false,
      error: [
        '"pbx.calls.v1.CallStart" is not an event type the platform publishes',
        '"pbx.fax.*" matches no event type the platform publishes',
        '"pbx.calls*" is not an event type pattern (e.g. pbx.calls.v1.CallStarted, pbx.calls.v1.* or *)',
        `"'; DROP TABLE x" is not an event type pattern (e.g. pbx.calls.v1.CallStarted, pbx.calls.v1.* or *)`,
        '"pbx.%.*" is not an event type pattern (e.g. pbx.calls.v1.CallStarted, pbx.calls.v1.* or *)',
      ],
    });
    expect(EventTypeFilter.parse([], ALL_PUBLIC_EVENT_TYPES)).toEqual({
      ok: false,
      error: ['at least one event type is required'],
    });
  });

  it('does not let a prefix match in the middle of a segment', () => {
    // "pbx.call.*" must not match "pbx.calls.v1...": the prefix keeps its dot.
    expect(EventTypeFilter.parse(['pbx.call.*'], ALL_PUBLIC_EVENT_TYPES).ok).toBe(false);
  });
});
