import { eventually, freeUdpPort, type SippResult } from '@pbx/testing';
import { sippCall, sippRegister, sippAnsweringPhone } from '../sip/sip-platform';
import type { WebPhonePlatform } from '../web-phone/web-phone-platform';
import type { NodeAgent } from './node-agent-process';

/**
 * The two calls every WebRTC client in Node must make, registered as alice: to a sipp desk
 * phone (bob, extension 202) and from it. Its media is a werift peer connection the platform
 * bridges to the phone's plain G.711: packets and speech (not silence) arrive in Node, and the
 * edge's call log counts the client's packets relayed to the phone.
 */
export function itCallsAndIsCalledBySipp(
  running: () => { readonly web: WebPhonePlatform; readonly agent: NodeAgent },
): void {
  const endedCalls = (): Record<string, unknown>[] =>
    running()
      .web.platform()
      .logs()
      .filter((l) => l.msg === 'call ended');
  let firstCall: unknown;

  it('calls a sipp desk phone: G.711 through DTLS-SRTP both ways', async () => {
    const { web, agent } = running();
    const port = await freeUdpPort();
    expect((await sippRegister(web.remote, 'bob', 's3cret-Bob', port)).code).toBe(0);
    const phone = await sippAnsweringPhone(port, 30);
    const from = agent.events.length;
    agent.send({ cmd: 'call', target: '202' });
    await agent.waitFor('established', 15_000, from);
    const stats = await eventually(
      async () => {
        const s = await agent.stats();
        return s.received > 50 && s.sent > 50 ? s : undefined;
      },
      10_000,
      'audio both ways',
    );
    // sipp plays a recorded A-law voice prompt: speech, not silence, reached Node.
    expect(stats.payloadTypes).toContain(8);
    expect(stats.rms).toBeGreaterThan(100);
    agent.send({ cmd: 'hangup' });
    await agent.waitFor('terminated', 10_000, from);
    expect((await phone.done).code).toBe(0);
    const ended = await eventually(async () => endedCalls()[0], 5_000, 'the call record');
    firstCall = ended.sipCallId;
    // Packets from the Node client, unprotected and relayed to the phone.
    expect(ended.rtpFromCaller).toBeGreaterThan(50);
    expect(ended.rtpFromCallee).toBeGreaterThan(50);
  }, 60_000);

  it('is called by a sipp phone and answers: audio both ways', async () => {
    const { web, agent } = running();
    const from = agent.events.length;
    const caller: Promise<SippResult> = sippCall({
      remote: web.remote,
      from: 'bob',
      password: 's3cret-Bob',
      dialed: '201',
      talkMs: 4_000,
      timeoutS: 30,
    });
    await agent.waitFor('incoming', 15_000, from);
    agent.send({ cmd: 'answer' });
    await agent.waitFor('established', 15_000, from);
    const before = await agent.stats();
    const stats = await eventually(
      async () => {
        const s = await agent.stats();
        return s.received > before.received + 50 ? s : undefined;
      },
      10_000,
      'audio from the calling phone',
    );
    expect(stats.rms).toBeGreaterThan(100);
    expect((await caller).code).toBe(0);
    await agent.waitFor('terminated', 10_000, from);
    const ended = await eventually(
      async () => endedCalls().find((l) => l.sipCallId !== firstCall),
      5_000,
      'the second call record',
    );
    expect(ended.rtpFromCallee).toBeGreaterThan(50);
    expect(ended.rtpFromCaller).toBeGreaterThan(50);
  }, 60_000);
}
