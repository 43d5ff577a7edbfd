import { EdgeHarness, ringUser } from '../../test/edge-harness';
import { connectCall } from '../../test/connected-call';
import { bodyText, phoneSdp } from '../../test/test-phone';

jest.setTimeout(6000);

/** The edge's Min-SE lowered so that a 2 s session interval is granted (RFC 4028 section 5). */
const MIN_SE_S = 2;

/** RFC 4028 section 10: the edge as the refresher of the caller's session, and as its watchdog. */
describe('B2BUA session refresh towards the caller', () => {
  let edge: EdgeHarness | undefined;

  afterEach(async () => {
    await edge?.close();
    edge = undefined;
  });

  const start = async (): Promise<EdgeHarness> =>
    EdgeHarness.start({ decide: () => ringUser(['bob']), minSessionExpiresS: MIN_SE_S });

  it('refreshes with an UPDATE at half the interval and ends the call on a 481', async () => {
    edge = await start();
    const { alice, bob, ok } = await connectCall(edge, {
      inviteHeaders: [
        ['Supported', 'timer'],
        ['Allow', 'INVITE, ACK, CANCEL, BYE, UPDATE'],
        ['Session-Expires', '2;refresher=uas'],
      ],
    });
    const answeredAt = Date.now();
    expect(ok.message.headers.get('Session-Expires')).toBe('2;refresher=uas');

    const update = await alice.takeRequest('UPDATE', 3000);
    const firstAt = Date.now();
    expect(firstAt - answeredAt).toBeGreaterThanOrEqual(700);
    expect(firstAt - answeredAt).toBeLessThan(1600);
    expect(update.request.body.length).toBe(0);
    expect(update.request.requestUri).toBe(alice.contact);
    expect(update.request.headers.get('Session-Expires')).toBe('2;refresher=uac');
    alice.answer(update, 200, {
      headers: [
        ['Session-Expires', '2;refresher=uac'],
        ['Require', 'timer'],
      ],
    });

    const second = await alice.takeRequest('UPDATE', 3000);
    expect(Date.now() - firstAt).toBeGreaterThanOrEqual(700);
    expect(second.parsed.cseq.seq).toBeGreaterThan(update.parsed.cseq.seq);
    alice.answer(second, 481);

    await alice.takeRequest('BYE');
    await bob.takeRequest('BYE');
    const ended = await edge.routing.waitForReport('ended');
    expect(ended).toMatchObject({ cause: 'failed', by: 'platform' });
    expect(bob.received('UPDATE')).toHaveLength(0);
    expect(edge.server.activeCalls).toBe(0);
  });

  it('tries again soon after a refresh refused without ending the dialog', async () => {
    edge = await start();
    const { alice } = await connectCall(edge, {
      inviteHeaders: [
        ['Supported', 'timer'],
        ['Allow', 'INVITE, ACK, BYE, UPDATE'],
        ['Session-Expires', '2;refresher=uas'],
      ],
    });
    const refused = await alice.takeRequest('UPDATE', 3000);
    const refusedAt = Date.now();
    alice.answer(refused, 500);
    const retry = await alice.takeRequest('UPDATE', 1000);
    expect(Date.now() - refusedAt).toBeLessThan(700);
    alice.answer(retry, 200);
    expect(edge.routing.kinds()).toEqual(['ringing', 'answered']);
    expect(edge.server.activeCalls).toBe(1);
  });

  it('refreshes with a re-INVITE of its last SDP when the caller does not allow UPDATE', async () => {
    edge = await start();
    // A proxy on the way inserted Session-Expires: the phone cannot refresh, the edge must.
    const { alice, bob, ok, call } = await connectCall(edge, {
      inviteHeaders: [['Session-Expires', '2']],
    });
    expect(ok.message.headers.get('Session-Expires')).toBe('2;refresher=uas');

    const reinvite = await alice.takeRequest('INVITE', 3000);
    expect(reinvite.parsed.callId).toBe(call.request.headers.get('Call-ID'));
    expect(bodyText(reinvite)).toBe(bodyText(ok));
    alice.answer(reinvite, 200, { sdp: phoneSdp(4000) });
    const ack = await alice.takeRequest('ACK');
    expect(ack.parsed.cseq.seq).toBe(reinvite.parsed.cseq.seq);
    expect(bob.received('INVITE')).toHaveLength(1);

    const again = await alice.takeRequest('INVITE', 3000);
    alice.answer(again, 408);
    await alice.takeRequest('BYE');
    await bob.takeRequest('BYE');
    const ended = await edge.routing.waitForReport('ended');
    expect(ended).toMatchObject({ cause: 'failed', by: 'platform' });
  });

  it('ends the call when a caller that refreshes itself stops doing so', async () => {
    edge = await start();
    const { alice, bob } = await connectCall(edge, {
      inviteHeaders: [
        ['Supported', 'timer'],
        ['Allow', 'INVITE, ACK, BYE, UPDATE'],
        ['Session-Expires', '2;refresher=uac'],
      ],
    });
    // Expiry at 2 - min(32, 2/3) s after the 200, with no refresh from the edge meanwhile.
    await alice.takeRequest('BYE', 3000);
    await bob.takeRequest('BYE');
    expect(alice.received('UPDATE')).toHaveLength(0);
    const ended = await edge.routing.waitForReport('ended');
    expect(ended).toMatchObject({ cause: 'failed', by: 'platform' });
  });
});
