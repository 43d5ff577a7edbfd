import { EdgeHarness, ringUser } from '../../test/edge-harness';
import { connectCall } from '../../test/connected-call';
import { ANCHOR } from '../../test/fake-media-control';
import { bodyText, phoneSdp, statusOf } from '../../test/test-phone';
import { waitFor } from '../../test/wait-for';

jest.setTimeout(5000);

/** Issue 5: re-INVITEs and late offers across the B2BUA (RFC 3261 14, RFC 3264). */
describe('B2BUA offer/answer across the legs', () => {
  let edge: EdgeHarness | undefined;

  afterEach(async () => {
    await edge?.close();
    edge = undefined;
  });

  it('passes a hold and a resume from the caller across and reports them', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const { alice, bob, aliceDialog } = await connectCall(edge);

    const hold = alice.sendInDialog(aliceDialog, 'INVITE', edge.peer, {
      body: phoneSdp(4000, 'sendonly'),
      contentType: 'application/sdp',
    });
    const reinvite = await bob.takeRequest('INVITE');
    expect(bodyText(reinvite)).toContain('a=sendonly');
    expect(bodyText(reinvite)).toContain(`c=IN IP4 ${ANCHOR.caller}`);
    bob.answer(reinvite, 200, { sdp: phoneSdp(5000, 'recvonly') });
    const ok = await hold.final;
    expect(statusOf(ok)).toBe(200);
    expect(bodyText(ok)).toContain('a=recvonly');
    expect(bodyText(ok)).toContain(`c=IN IP4 ${ANCHOR.callee}`);
    await alice.ackReinvite(aliceDialog, hold.cseq, edge.peer);
    const ack = await bob.takeRequest('ACK');
    expect(ack.parsed.cseq.seq).toBe(reinvite.parsed.cseq.seq);
    expect(edge.routing.kinds()).toEqual(['ringing', 'answered', 'held']);
    expect(edge.routing.reports[2].report).toMatchObject({ by: 'caller' });

    const resume = alice.sendInDialog(aliceDialog, 'INVITE', edge.peer, {
      body: phoneSdp(4000, 'sendrecv'),
      contentType: 'application/sdp',
    });
    const second = await bob.takeRequest('INVITE');
    expect(bodyText(second)).toContain('a=sendrecv');
    bob.answer(second, 200, { sdp: phoneSdp(5000, 'sendrecv') });
    expect(statusOf(await resume.final)).toBe(200);
    await alice.ackReinvite(aliceDialog, resume.cseq, edge.peer);
    await bob.takeRequest('ACK');
    await edge.routing.waitForReport('resumed');
    expect(edge.routing.kinds()).toEqual(['ringing', 'answered', 'held', 'resumed']);
  });

  it('answers 491 to a re-INVITE that crosses one in progress (glare)', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const { alice, bob, aliceDialog, bobDialog } = await connectCall(edge);

    const fromAlice = alice.sendInDialog(aliceDialog, 'INVITE', edge.peer, {
      body: phoneSdp(4000, 'sendonly'),
      contentType: 'application/sdp',
    });
    const relayed = await bob.takeRequest('INVITE');
    const fromBob = bob.sendInDialog(bobDialog, 'INVITE', edge.peer, {
      body: phoneSdp(5000, 'sendonly'),
      contentType: 'application/sdp',
    });
    expect(statusOf(await fromBob.final)).toBe(491);
    expect(alice.requests.some((r) => r.request.method === 'INVITE')).toBe(false);

    bob.answer(relayed, 200, { sdp: phoneSdp(5000, 'recvonly') });
    expect(statusOf(await fromAlice.final)).toBe(200);
    await alice.ackReinvite(aliceDialog, fromAlice.cseq, edge.peer);
    await bob.takeRequest('ACK');
  });

  it('carries a late offer: the callee’s 200 offers to the caller, whose ACK answers', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const alice = await edge.phone('alice');
    const bob = await edge.phone('bob', { registered: true });

    const call = alice.call(edge.peer, { to: '2002' });
    const invite = await bob.takeRequest('INVITE');
    expect(invite.request.body.length).toBe(0);
    bob.answer(invite, 200, { toTag: 'bob1', sdp: phoneSdp(5000) });
    const ok = await call.waitForStatus(200);
    expect(bodyText(ok)).toContain(`c=IN IP4 ${ANCHOR.callee}`);
    // The callee retransmits its 200 (T1 = 50 ms) while the caller takes its time to answer:
    // the edge must not ACK without the answer meanwhile (RFC 3264 section 5).
    await new Promise((r) => setTimeout(r, 180));
    expect(bob.received('ACK')).toHaveLength(0);

    await call.ack(phoneSdp(4000));
    const ack = await bob.takeRequest('ACK');
    expect(ack.request.headers.get('Content-Type')).toBe('application/sdp');
    expect(bodyText(ack)).toContain(`c=IN IP4 ${ANCHOR.caller}`);
    expect(edge.media.sessions[0].calls.map((c) => `${c.op}:${c.from}`)).toEqual([
      'offer:callee',
      'answer:caller',
    ]);
    await waitFor(() => (bob.received('ACK').length > 0 ? true : undefined), 'the ACK');
    expect(bob.received('ACK').every((m) => m.message.body.length > 0)).toBe(true);
  });
});
