import { Dialog } from '@pbx/sip';
import { EdgeHarness, ringUser } from '../../test/edge-harness';
import { connectCall } from '../../test/connected-call';
import { ANCHOR } from '../../test/fake-media-control';
import { bodyText, phoneSdp, statusOf } from '../../test/test-phone';
import { sleep, waitFor } from '../../test/wait-for';

jest.setTimeout(5000);

/** Issue 5: races and less common paths of a bridged call. */
describe('B2BUA races and in-dialog corner cases', () => {
  let edge: EdgeHarness | undefined;

  afterEach(async () => {
    await edge?.close();
    edge = undefined;
  });

  it('ACKs and hangs up a callee whose 200 crossed the CANCEL (RFC 3261 9.1)', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const alice = await edge.phone('alice');
    const bob = await edge.phone('bob', { registered: true });
    bob.autoCancel = false;
    const call = alice.call(edge.peer, { to: '2002', sdp: phoneSdp() });
    const invite = await bob.takeRequest('INVITE');
    bob.answer(invite, 180, { toTag: 'bob1' });
    await call.waitForStatus(180);

    call.tx.cancel();
    expect(statusOf(await call.final())).toBe(487);
    await waitFor(() => (invite.cancelled ? true : undefined), 'the CANCEL at bob');
    bob.answer(invite, 200, { sdp: phoneSdp(5000) });
    await bob.takeRequest('ACK');
    const bye = await bob.takeRequest('BYE');
    expect(bye.parsed.callId).toBe(invite.parsed.callId);
    expect(edge.routing.kinds()).toEqual(['ringing', 'ended:cancelled']);
  });

  it('ends the call cleanly when the callee hangs up right after its 200', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    // The media answer to bob's 200 is still being prepared when bob's BYE arrives.
    const release = edge.media.holdAnswers();
    const alice = await edge.phone('alice');
    const bob = await edge.phone('bob', { registered: true });
    const call = alice.call(edge.peer, { to: '2002', sdp: phoneSdp() });
    const invite = await bob.takeRequest('INVITE');
    bob.answer(invite, 200, { toTag: 'bob1', sdp: phoneSdp(5000) });
    const bye = bob.sendInDialog(Dialog.asUas(invite.parsed, 'bob1'), 'BYE', edge.peer);

    expect(statusOf(await bye.final)).toBe(200);
    expect(statusOf(await call.final())).toBe(487);
    const ack = await bob.takeRequest('ACK');
    expect(ack.parsed.cseq.seq).toBe(invite.parsed.cseq.seq);
    const ended = await edge.routing.waitForReport('ended');
    expect(ended).toMatchObject({ cause: 'normal', by: 'callee' });

    release();
    await sleep(200);
    // Bob's dialog ended with his own BYE: the edge sends none.
    expect(bob.received('BYE')).toHaveLength(0);
    expect(edge.routing.kinds()).toEqual(['ended:normal']);
    expect(edge.server.activeCalls).toBe(0);
    expect(edge.media.openSessions()).toBe(0);
  });

  it('holds the BYE to the caller until it ACKed the 200 (RFC 3261 15)', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const alice = await edge.phone('alice');
    const bob = await edge.phone('bob', { registered: true });
    const call = alice.call(edge.peer, { to: '2002', sdp: phoneSdp() });
    const invite = await bob.takeRequest('INVITE');
    bob.answer(invite, 200, { toTag: 'bob1', sdp: phoneSdp(5000) });
    expect(statusOf(await call.final())).toBe(200);
    await bob.takeRequest('ACK');
    // Bob hangs up before Alice's ACK left her phone.
    const bye = bob.sendInDialog(Dialog.asUas(invite.parsed, 'bob1'), 'BYE', edge.peer);
    expect(statusOf(await bye.final)).toBe(200);
    await edge.routing.waitForReport('ended');
    await sleep(300);
    expect(alice.received('BYE')).toHaveLength(0);
    await call.ack();
    const byeToAlice = await alice.takeRequest('BYE');
    expect(byeToAlice.parsed.callId).toBe(call.request.headers.get('Call-ID'));
  });

  it('answers 487 without ringing anyone when the caller cancels while routing decides', async () => {
    edge = await EdgeHarness.start({
      decide: async () => {
        await sleep(200);
        return ringUser(['bob']);
      },
    });
    const alice = await edge.phone('alice');
    const bob = await edge.phone('bob', { registered: true });
    const call = alice.call(edge.peer, { to: '2002', sdp: phoneSdp() });
    await call.waitForStatus(100);
    call.tx.cancel();
    expect(statusOf(await call.final())).toBe(487);
    await sleep(300);
    expect(bob.requests).toHaveLength(0);
    expect(edge.routing.kinds()).toEqual(['ended:cancelled']);
    expect(edge.server.activeCalls).toBe(0);
  });

  it('relays early media: a 183 with SDP reaches the caller anchored', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const alice = await edge.phone('alice');
    const bob = await edge.phone('bob', { registered: true });
    const call = alice.call(edge.peer, { to: '2002', sdp: phoneSdp() });
    const invite = await bob.takeRequest('INVITE');
    bob.answer(invite, 183, { toTag: 'bob1', sdp: phoneSdp(5000) });
    const early = await call.waitForStatus(183);
    expect(bodyText(early)).toContain(`c=IN IP4 ${ANCHOR.callee}`);
    expect(edge.routing.kinds()).toEqual(['ringing']);
  });

  it('passes a hold from the callee across and reports it as held by the callee', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const { alice, bob, bobDialog } = await connectCall(edge);

    const hold = bob.sendInDialog(bobDialog, 'INVITE', edge.peer, {
      body: phoneSdp(5000, 'inactive'),
      contentType: 'application/sdp',
    });
    const reinvite = await alice.takeRequest('INVITE');
    expect(bodyText(reinvite)).toContain('a=inactive');
    expect(reinvite.request.requestUri).toBe(alice.contact);
    alice.answer(reinvite, 200, { sdp: phoneSdp(4000, 'inactive') });
    const ok = await hold.final;
    expect(statusOf(ok)).toBe(200);
    expect(ok.to.params).toContainEqual({ name: 'tag', value: bobDialog.remoteTag });
    await bob.ackReinvite(bobDialog, hold.cseq, edge.peer);
    await alice.takeRequest('ACK');
    const held = await edge.routing.waitForReport('held');
    expect(held.by).toBe('callee');
  });

  it('sends later requests to the Contact a re-INVITE refreshed (RFC 3261 12.2.2)', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const { alice, bob, aliceDialog, bobDialog } = await connectCall(edge);
    const moved = `sip:alice-moved@127.0.0.1:${alice.port}`;

    const refresh = alice.sendInDialog(aliceDialog, 'INVITE', edge.peer, {
      body: phoneSdp(4000),
      contentType: 'application/sdp',
      contact: moved,
    });
    const relayed = await bob.takeRequest('INVITE');
    const bobMoved = `sip:bob-moved@127.0.0.1:${bob.port}`;
    bob.answer(relayed, 200, { sdp: phoneSdp(5000), contact: bobMoved });
    expect(statusOf(await refresh.final)).toBe(200);
    await alice.ackReinvite(aliceDialog, refresh.cseq, edge.peer);
    const ack = await bob.takeRequest('ACK');
    expect(ack.request.requestUri).toBe(bobMoved);

    const bye = bob.sendInDialog(bobDialog, 'BYE', edge.peer);
    expect(statusOf(await bye.final)).toBe(200);
    const aliceBye = await alice.takeRequest('BYE');
    expect(aliceBye.request.requestUri).toBe(moved);
  });

  it('answers a session-refresh UPDATE itself with the session interval', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const { alice, bob, aliceDialog } = await connectCall(edge, {
      inviteHeaders: [
        ['Supported', 'timer'],
        ['Session-Expires', '90'],
      ],
    });
    const update = alice.sendInDialog(aliceDialog, 'UPDATE', edge.peer);
    const ok = await update.final;
    expect(statusOf(ok)).toBe(200);
    expect(ok.message.headers.get('Session-Expires')).toBe('90;refresher=uac');
    expect(bob.requests.some((r) => r.request.method === 'UPDATE')).toBe(false);
  });

  it('answers 481 to a request in a dialog that has ended', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const { alice, aliceDialog } = await connectCall(edge);
    expect(statusOf(await alice.sendInDialog(aliceDialog, 'BYE', edge.peer).final)).toBe(200);
    const info = alice.sendInDialog(aliceDialog, 'INFO', edge.peer, {
      body: 'x',
      contentType: 'text/plain',
    });
    expect(statusOf(await info.final)).toBe(481);
  });
});
