import { MediaError, MediaErrorCode } from '@pbx/telephony';
import { EdgeHarness, ringUser } from '../../test/edge-harness';
import { connectCall } from '../../test/connected-call';
import { ANCHOR } from '../../test/fake-media-control';
import { bodyText, phoneSdp, statusOf } from '../../test/test-phone';

jest.setTimeout(5000);

/** Issue 5: a call bridged by the B2BUA of a running SipEdgeServer, between @pbx/sip phones. */
describe('B2BUA call through a running SipEdgeServer', () => {
  let edge: EdgeHarness | undefined;

  afterEach(async () => {
    await edge?.close();
    edge = undefined;
  });

  it('bridges a basic call and ends it with a BYE from the caller', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const alice = await edge.phone('alice');
    const bob = await edge.phone('bob', { registered: true });

    const call = alice.call(edge.peer, { to: '2002', sdp: phoneSdp(4000) });
    const invite = await bob.takeRequest('INVITE');
    expect(bodyText(invite)).toContain(`c=IN IP4 ${ANCHOR.caller}`);
    expect(bodyText(invite)).not.toContain('c=IN IP4 127.0.0.1');
    expect(invite.parsed.callId).not.toBe(call.request.headers.get('Call-ID'));
    // A colleague shows with the group's SIP domain, not the edge's address.
    expect(invite.request.headers.get('From')).toMatch(/^"Alice" <sip:201@example\.test>;tag=/);
    expect(edge.routing.requests[0]).toMatchObject({
      dialed: '2002',
      origin: { kind: 'device', deviceId: 'group-1:alice' },
    });

    bob.answer(invite, 180, { toTag: 'bob1' });
    await call.waitForStatus(180);
    bob.answer(invite, 200, { sdp: phoneSdp(5000) });
    const ok = await call.waitForStatus(200);
    expect(bodyText(ok)).toContain(`c=IN IP4 ${ANCHOR.callee}`);
    expect(bodyText(ok)).toContain('m=audio 30002');
    const aliceDialog = await call.ack();
    const ack = await bob.takeRequest('ACK');
    expect(ack.parsed.cseq).toEqual({ seq: 1, method: 'ACK' });

    const media = edge.media.sessions[0];
    expect(media.calls.map((c) => `${c.op}:${c.from}`)).toEqual(['offer:caller', 'answer:callee']);

    const bye = alice.sendInDialog(aliceDialog, 'BYE', edge.peer);
    expect(statusOf(await bye.final)).toBe(200);
    const bobBye = await bob.takeRequest('BYE');
    expect(bobBye.parsed.callId).toBe(invite.parsed.callId);
    await edge.routing.waitForReport('ended');
    expect(edge.routing.kinds()).toEqual(['ringing', 'answered', 'ended:normal']);
    expect(edge.routing.reports.map((r) => r.report)).toEqual([
      expect.objectContaining({ kind: 'ringing', deviceId: 'group-1:bob' }),
      expect.objectContaining({ kind: 'answered', deviceId: 'group-1:bob' }),
      expect.objectContaining({ kind: 'ended', cause: 'normal', by: 'caller' }),
    ]);
    expect(new Set(edge.routing.reports.map((r) => r.callId)).size).toBe(1);
    expect(media.closed).toBe(true);
    expect(edge.server.activeCalls).toBe(0);
  });

  it('ends the call on a BYE from the callee', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const { alice, bob, bobDialog, call } = await connectCall(edge);

    const bye = bob.sendInDialog(bobDialog, 'BYE', edge.peer);
    expect(statusOf(await bye.final)).toBe(200);
    const aliceBye = await alice.takeRequest('BYE');
    expect(aliceBye.parsed.callId).toBe(call.request.headers.get('Call-ID'));
    await edge.routing.waitForReport('ended');
    expect(edge.routing.reports.at(-1)?.report).toMatchObject({ cause: 'normal', by: 'callee' });
    expect(edge.server.activeCalls).toBe(0);
  });

  it('relays INFO across with its body and the far end’s answer', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const { alice, bob, aliceDialog } = await connectCall(edge);

    const info = alice.sendInDialog(aliceDialog, 'INFO', edge.peer, {
      body: 'Signal=5\r\nDuration=160\r\n',
      contentType: 'application/dtmf-relay',
    });
    const relayed = await bob.takeRequest('INFO');
    expect(relayed.request.headers.get('Content-Type')).toBe('application/dtmf-relay');
    expect(bodyText(relayed)).toBe('Signal=5\r\nDuration=160\r\n');
    bob.answer(relayed, 200);
    expect(statusOf(await info.final)).toBe(200);
  });

  it('hangs up both sides when the media session ends for want of RTP', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const { alice, bob } = await connectCall(edge);

    edge.media.sessions[0].end('rtp-timeout');
    await alice.takeRequest('BYE');
    await bob.takeRequest('BYE');
    const ended = await edge.routing.waitForReport('ended');
    expect(ended).toMatchObject({ cause: 'media-timeout', by: 'platform' });
    expect(edge.media.sessions[0].closed).toBe(true);
    expect(edge.server.activeCalls).toBe(0);
  });

  it.each([
    [MediaErrorCode.NoCommonCodec, 488, 'unavailable'],
    [MediaErrorCode.NoPorts, 503, 'failed'],
  ] as const)(
    'refuses the call when media refuses the offer (%s -> %i)',
    async (code, status, cause) => {
      edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
      edge.media.failWith = new MediaError(code, 'refused by the test');
      const alice = await edge.phone('alice');
      const bob = await edge.phone('bob', { registered: true });
      const call = alice.call(edge.peer, { to: '2002', sdp: phoneSdp() });
      expect(statusOf(await call.final())).toBe(status);
      expect(await edge.routing.waitForReport('ended')).toMatchObject({ cause, status });
      expect(bob.requests).toHaveLength(0);
      expect(edge.media.sessions[0].closed).toBe(true);
    },
  );

  it('hangs up every call with BYE on both sides when the edge shuts down', async () => {
    const running = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    edge = running;
    const { alice, bob } = await connectCall(running);
    const closing = running.server.close();
    await alice.takeRequest('BYE');
    await bob.takeRequest('BYE');
    await closing;
    expect(await running.routing.waitForReport('ended')).toMatchObject({
      cause: 'failed',
      by: 'platform',
    });
  });
});
