import { SipHeaders } from '@pbx/sip';
import { SessionTimer } from './session-timer';

const h = (pairs: [string, string][]): SipHeaders => SipHeaders.of(pairs);

describe(SessionTimer.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('grants nothing to a caller without timer support', () => {
    expect(SessionTimer.negotiate(h([]), 1800, jest.fn()).kind).toBe('none');
  });

  it('answers 422 below Min-SE', () => {
    expect(SessionTimer.negotiate(h([['Session-Expires', '30']]), 1800, jest.fn())).toEqual({
      kind: 'too-small',
      minSe: 90,
    });
  });

  it('grants the smaller interval and expires without a refresh', () => {
    const expired = jest.fn();
    const n = SessionTimer.negotiate(
      h([
        ['Supported', 'timer'],
        ['Session-Expires', '600;refresher=uac'],
      ]),
      300,
      expired,
    );
    if (n.kind !== 'granted') throw new Error('not granted');
    expect(n.timer.headers()).toEqual([
      ['Session-Expires', '300;refresher=uac'],
      ['Require', 'timer'],
    ]);
    n.timer.start();
    jest.advanceTimersByTime(200_000);
    n.timer.refreshed();
    jest.advanceTimersByTime(267_000);
    expect(expired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1_000);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('keeps refresher=uas and never expires the call itself', () => {
    const expired = jest.fn();
    const n = SessionTimer.negotiate(
      h([
        ['Supported', 'timer'],
        ['Session-Expires', '120;refresher=uas'],
      ]),
      1800,
      expired,
    );
    if (n.kind !== 'granted') throw new Error('not granted');
    n.timer.start();
    jest.advanceTimersByTime(1_000_000);
    expect(expired).not.toHaveBeenCalled();
    expect(n.timer.headers()[0][1]).toBe('120;refresher=uas');
  });

  it('refreshes itself, without Require, for a caller that does not support timers', () => {
    const expired = jest.fn();
    const n = SessionTimer.negotiate(h([['Session-Expires', '1800;refresher=uac']]), 1800, expired);
    if (n.kind !== 'granted') throw new Error('not granted');
    expect(n.timer.headers()).toEqual([['Session-Expires', '1800;refresher=uas']]);
    n.timer.start();
    jest.advanceTimersByTime(2_000_000);
    expect(expired).not.toHaveBeenCalled();
  });
});
