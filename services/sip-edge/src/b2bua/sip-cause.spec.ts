import { bestFinalStatus, causeOfStatus } from './sip-cause';

describe(bestFinalStatus.name, () => {
  it.each([
    [[], 480],
    [[486, 480], 486],
    [[480, 404], 404],
    [[603, 486], 603],
    [[408, 408], 480],
    [[500, 503], 503],
    [[487], 487],
    [[408, 480], 480],
    [[407], 503],
    [[401, 404], 404],
  ])('%j -> %i', (statuses, expected) => expect(bestFinalStatus(statuses)).toBe(expected));
});

describe(causeOfStatus.name, () => {
  it('maps the statuses a call record shows', () => {
    expect(causeOfStatus(486)).toBe('busy');
    expect(causeOfStatus(404)).toBe('not-found');
    expect(causeOfStatus(403)).toBe('forbidden');
    expect(causeOfStatus(480)).toBe('no-answer');
    expect(causeOfStatus(503)).toBe('failed');
    expect(causeOfStatus(488)).toBe('unavailable');
  });
});
