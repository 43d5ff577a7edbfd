import { SipHeaders } from '@pbx/sip';
import { assertSessionTimerPolicy, SessionTimer, type SessionTimerHandlers } from './session-timer';

const h = (pairs: [string, string][]): SipHeaders => SipHeaders.of(pairs);
const policy = (configuredS: number, minSeS = 90): { configuredS: number; minSeS: number } => ({
  configuredS,
  minSeS,
});

function handlers(): SessionTimerHandlers & {
  onExpired: jest.Mock;
  onRefreshDue: jest.Mock;
} {
  return { onExpired: jest.fn(), onRefreshDue: jest.fn() };
}

function granted(headers: [string, string][], configuredS = 1800, minSeS = 90) {
  const on = handlers();
  const n = SessionTimer.negotiate(h(headers), policy(configuredS, minSeS), on);
  if (n.kind !== 'granted') throw new Error(`not granted: ${n.kind}`);
  return { timer: n.timer, on };
}

describe(SessionTimer.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('grants nothing to a caller without timer support', () => {
    expect(SessionTimer.negotiate(h([]), policy(1800), handlers()).kind).toBe('none');
  });

  it('answers 422 below Min-SE, the configured one included', () => {
    expect(
      SessionTimer.negotiate(h([['Session-Expires', '30']]), policy(1800), handlers()),
    ).toEqual({ kind: 'too-small', minSe: 90 });
    expect(
      SessionTimer.negotiate(h([['Session-Expires', '1']]), policy(1800, 2), handlers()),
    ).toEqual({ kind: 'too-small', minSe: 2 });
  });

  it('never grants less than the Min-SE of the request (RFC 4028 section 9)', () => {
    const { timer } = granted(
      [
        ['Supported', 'timer'],
        ['Session-Expires', '1800'],
        ['Min-SE', '600'],
      ],
      300,
    );
    expect(timer.intervalS).toBe(600);
  });

  it('grants the smaller interval and expires without a refresh', () => {
    const { timer, on } = granted(
      [
        ['Supported', 'timer'],
        ['Session-Expires', '600;refresher=uac'],
      ],
      300,
    );
    expect(timer.headers()).toEqual([
      ['Session-Expires', '300;refresher=uac'],
      ['Require', 'timer'],
    ]);
    timer.start();
    jest.advanceTimersByTime(200_000);
    timer.refreshed();
    jest.advanceTimersByTime(267_000);
    expect(on.onExpired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1_000);
    expect(on.onExpired).toHaveBeenCalledTimes(1);
    expect(on.onRefreshDue).not.toHaveBeenCalled();
  });

  it('refreshes at half the interval when asked refresher=uas', () => {
    const { timer, on } = granted([
      ['Supported', 'timer'],
      ['Session-Expires', '120;refresher=uas'],
    ]);
    expect(timer.headers()[0][1]).toBe('120;refresher=uas');
    expect(timer.refreshHeaders()).toContainEqual(['Session-Expires', '120;refresher=uac']);
    timer.start();
    jest.advanceTimersByTime(59_999);
    expect(on.onRefreshDue).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(on.onRefreshDue).toHaveBeenCalledTimes(1);
    timer.refreshAnswered(h([]));
    jest.advanceTimersByTime(60_000);
    expect(on.onRefreshDue).toHaveBeenCalledTimes(2);
    expect(on.onExpired).not.toHaveBeenCalled();
  });

  it('retries a refused refresh and expires when none succeeds within the interval', () => {
    const { timer, on } = granted([
      ['Supported', 'timer'],
      ['Session-Expires', '120;refresher=uas'],
    ]);
    timer.start();
    jest.advanceTimersByTime(60_000);
    for (let i = 0; i < 29; i++) {
      timer.refreshFailed();
      jest.advanceTimersByTime(2_000);
    }
    expect(on.onRefreshDue).toHaveBeenCalledTimes(30);
    expect(on.onExpired).not.toHaveBeenCalled();
    timer.refreshFailed();
    jest.advanceTimersByTime(2_000);
    expect(on.onExpired).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(100_000);
    expect(on.onRefreshDue).toHaveBeenCalledTimes(30);
  });

  it('hands the refresh to the caller when the 2xx to its refresh says so', () => {
    const { timer, on } = granted([
      ['Supported', 'timer'],
      ['Session-Expires', '120;refresher=uas'],
    ]);
    timer.start();
    jest.advanceTimersByTime(60_000);
    timer.refreshAnswered(h([['Session-Expires', '100;refresher=uas']]));
    expect(timer.headers()[0][1]).toBe('100;refresher=uac');
    // The caller refreshes now: expiry at 100 - min(32, 100/3) s, and no refresh of the edge.
    jest.advanceTimersByTime(67_999);
    expect(on.onRefreshDue).toHaveBeenCalledTimes(1);
    expect(on.onExpired).toHaveBeenCalledTimes(0);
    jest.advanceTimersByTime(1_000);
    expect(on.onExpired).toHaveBeenCalledTimes(1);
  });

  it('refreshes itself, without Require, for a caller that does not support timers', () => {
    const { timer, on } = granted([['Session-Expires', '1800;refresher=uac']]);
    expect(timer.headers()).toEqual([['Session-Expires', '1800;refresher=uas']]);
    timer.start();
    jest.advanceTimersByTime(900_000);
    expect(on.onRefreshDue).toHaveBeenCalledTimes(1);
    timer.stop();
    jest.advanceTimersByTime(2_000_000);
    expect(on.onExpired).not.toHaveBeenCalled();
  });

  it('refuses a policy it cannot run with', () => {
    expect(() => assertSessionTimerPolicy(policy(1800, 0))).toThrow(/minSessionExpiresS/);
    expect(() => assertSessionTimerPolicy(policy(60, 90))).toThrow(/sessionExpiresS/);
    expect(() => assertSessionTimerPolicy(policy(1800, 2))).not.toThrow();
  });
});
