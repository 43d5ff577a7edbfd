import type { CallEvent } from '../domain/call/call';
import { createCallDecider } from '../domain/call/call.decider';
import { AT, fromDevice, platformChanges } from '../domain/dial-plan/dial-plan.spec-helper';
import { CallRouter, type CallEventSink } from './call-router';
import { DirectoryCache } from './directory-cache';

const quiet = {
  debug: (): void => undefined,
  warn: (): void => undefined,
  error: (): void => undefined,
};

class RecordingSink implements CallEventSink {
  readonly recorded: { callId: string; tenant: string; types: string[]; finished: boolean }[] = [];
  record(callId: string, tenant: string, events: readonly CallEvent[], finished: boolean): void {
    this.recorded.push({ callId, tenant, types: events.map((e) => e.type), finished });
  }
}

async function setup(loaded = true) {
  const cache = new DirectoryCache(quiet);
  if (loaded) await cache.reload(async () => platformChanges());
  let now = AT.getTime();
  const clock = (): Date => new Date(now);
  const sink = new RecordingSink();
  const router = new CallRouter(cache, createCallDecider(clock), sink, clock, quiet, {
    noAnswerTimeoutS: 30,
    maxCallDurationMs: 3_600_000,
  });
  return { cache, sink, router, advance: (ms: number): void => void (now += ms) };
}

describe(CallRouter.name, () => {
  it('answers 503 until the directory is loaded, and records the refusal', async () => {
    const { router, sink } = await setup(false);
    await expect(router.route(fromDevice('202'))).resolves.toMatchObject({
      kind: 'reject',
      status: 503,
    });
    expect(sink.recorded).toEqual([
      { callId: 'call-1', tenant: 'acme', types: ['CallStarted', 'CallRejected'], finished: true },
    ]);
    expect(router.liveCalls).toBe(0);
  });

  it('records a call from start to end as the edge reports it, ignoring late reports', async () => {
    const { router, sink } = await setup();
    expect((await router.route(fromDevice('202'))).kind).toBe('connect');
    expect(router.liveCalls).toBe(1);
    router.report('call-1', { kind: 'ringing', at: AT, deviceId: 'bob-desk' });
    router.report('call-1', { kind: 'answered', at: AT, deviceId: 'bob-desk' });
    router.report('call-1', { kind: 'ringing', at: AT });
    router.report('call-1', { kind: 'ended', at: AT, cause: 'normal', by: 'caller' });
    router.report('call-1', { kind: 'ended', at: AT, cause: 'normal', by: 'callee' });
    router.report('unknown', { kind: 'answered', at: AT });
    expect(sink.recorded.map((r) => r.types)).toEqual([
      ['CallStarted'],
      ['CallRinging'],
      ['CallAnswered'],
      ['CallEnded'],
    ]);
    expect(sink.recorded[3].finished).toBe(true);
    expect(router.liveCalls).toBe(0);
  });

  it('follows directory changes committed after the load', async () => {
    const { router, cache } = await setup();
    cache.applyCommitted([{ kind: 'user-removed', groupId: 'acme-hq', extension: '202' }]);
    await expect(router.route(fromDevice('202'))).resolves.toMatchObject({ status: 404 });
  });

  it('refuses a second route for a live call id and bad input without throwing', async () => {
    const { router } = await setup();
    await router.route(fromDevice('202'));
    await expect(router.route(fromDevice('202'))).resolves.toMatchObject({
      kind: 'reject',
      status: 500,
    });
    await expect(router.route({ ...fromDevice('202'), callId: '' })).resolves.toMatchObject({
      status: 400,
    });
    expect(() =>
      router.report('call-1', {
        kind: 'ended',
        at: new Date(Number.NaN),
        cause: 'normal',
        by: 'caller',
      }),
    ).not.toThrow();
  });

  it('ends calls the edge never reported ended', async () => {
    const { router, sink, advance } = await setup();
    await router.route(fromDevice('202'));
    expect(router.sweep()).toBe(0);
    advance(3_600_000);
    expect(router.sweep()).toBe(1);
    expect(sink.recorded.at(-1)).toMatchObject({ types: ['CallEnded'], finished: true });
    expect(router.liveCalls).toBe(0);
  });
});
