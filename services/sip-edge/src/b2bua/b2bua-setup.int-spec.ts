import type { RouteDecision } from '@pbx/telephony';
import { EdgeHarness, ringUser } from '../../test/edge-harness';
import { phoneSdp, statusOf, type TestPhone } from '../../test/test-phone';
import { waitFor } from '../../test/wait-for';

jest.setTimeout(5000);

const COMPLETED_ELSEWHERE = 'SIP;cause=200;text="Call completed elsewhere"';

/** Waits until `phone` received a CANCEL and returns its Reason header (if any). */
async function cancelReason(phone: TestPhone): Promise<string | undefined> {
  const cancel = await waitFor(() => phone.received('CANCEL')[0], `a CANCEL at ${phone.name}`);
  return cancel.message.headers.get('Reason');
}

/** Bob registered at another edge sharing the bindings, over TLS, which this edge does not serve. */
function bindBobOverTls(edge: EdgeHarness): void {
  edge.registrar.bind('bob', 'sip:bob@198.51.100.9:5061;transport=tls', {
    protocol: 'tls',
    address: '198.51.100.9',
    port: 5061,
  });
}

/** Issue 5: how a call is set up or refused, before anyone answers. */
describe('B2BUA call setup through a running SipEdgeServer', () => {
  let edge: EdgeHarness | undefined;

  afterEach(async () => {
    await edge?.close();
    edge = undefined;
  });

  it('cancels the fork and answers 487 when the caller cancels before answer', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const alice = await edge.phone('alice');
    const bob = await edge.phone('bob', { registered: true });
    const call = alice.call(edge.peer, { to: '2002', sdp: phoneSdp() });
    const invite = await bob.takeRequest('INVITE');
    bob.answer(invite, 180, { toTag: 'bob1' });
    await call.waitForStatus(180);

    call.tx.cancel();
    expect(statusOf(await call.final())).toBe(487);
    await cancelReason(bob);
    await waitFor(() => (bob.autoAnswered.includes('487') ? true : undefined), 'bob’s 487');
    const ended = await edge.routing.waitForReport('ended');
    expect(ended).toMatchObject({ cause: 'cancelled', by: 'caller', status: 487 });
    expect(edge.routing.kinds()).toEqual(['ringing', 'ended:cancelled']);
    await waitFor(() => (edge?.server.activeCalls === 0 ? true : undefined), 'the call to end');
    expect(edge.media.sessions[0].closed).toBe(true);
  });

  it('forks to every contact; the first 200 wins and the other is cancelled', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const alice = await edge.phone('alice');
    const desk = await edge.phone('desk', { as: 'bob' });
    const mobile = await edge.phone('mobile', { as: 'bob' });
    const call = alice.call(edge.peer, { to: '2002', sdp: phoneSdp() });
    const deskInvite = await desk.takeRequest('INVITE');
    const mobileInvite = await mobile.takeRequest('INVITE');
    expect(deskInvite.parsed.callId).not.toBe(mobileInvite.parsed.callId);
    desk.answer(deskInvite, 180, { toTag: 'desk1' });
    mobile.answer(mobileInvite, 180, { toTag: 'mob1' });
    await call.waitForStatus(180);

    mobile.answer(mobileInvite, 200, { sdp: phoneSdp(6000) });
    expect(statusOf(await call.final())).toBe(200);
    await call.ack();
    await mobile.takeRequest('ACK');
    expect(await cancelReason(desk)).toBe(COMPLETED_ELSEWHERE);
    await waitFor(() => (desk.autoAnswered.includes('487') ? true : undefined), 'desk’s 487');
    expect(call.statuses().filter((s) => s >= 200)).toEqual([200]);
    expect(edge.routing.kinds()).toEqual(['ringing', 'answered']);
  });

  it('answers 486 when every fork is busy', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const alice = await edge.phone('alice');
    const desk = await edge.phone('desk', { as: 'bob' });
    const mobile = await edge.phone('mobile', { as: 'bob' });
    const call = alice.call(edge.peer, { to: '2002', sdp: phoneSdp() });
    const deskInvite = await desk.takeRequest('INVITE');
    const mobileInvite = await mobile.takeRequest('INVITE');
    desk.answer(deskInvite, 486);
    await new Promise((r) => setTimeout(r, 50));
    expect(call.statuses().filter((s) => s >= 200)).toEqual([]);
    mobile.answer(mobileInvite, 486);
    expect(statusOf(await call.final())).toBe(486);
    const ended = await edge.routing.waitForReport('ended');
    expect(ended).toMatchObject({ cause: 'busy', status: 486, by: 'callee' });
  });

  it('rings the reachable contacts when another was registered over a transport this edge lacks', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const alice = await edge.phone('alice');
    bindBobOverTls(edge);
    const desk = await edge.phone('desk', { as: 'bob' });
    const call = alice.call(edge.peer, { to: '2002', sdp: phoneSdp() });
    const invite = await desk.takeRequest('INVITE');
    desk.answer(invite, 200, { toTag: 'desk1', sdp: phoneSdp(6000) });
    expect(statusOf(await call.final())).toBe(200);
    await call.ack();
  });

  it('fails the call, not the edge, when no contact can be reached over a transport it serves', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const alice = await edge.phone('alice');
    bindBobOverTls(edge);
    const call = alice.call(edge.peer, { to: '2002', sdp: phoneSdp() });
    expect(statusOf(await call.final())).toBe(503);
    const ended = await edge.routing.waitForReport('ended');
    expect(ended).toMatchObject({ status: 503 });
    await waitFor(() => (edge?.server.activeCalls === 0 ? true : undefined), 'the call to end');
  });

  it('answers 480 when the callee has no registered contact', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const alice = await edge.phone('alice');
    const call = alice.call(edge.peer, { to: '2002', sdp: phoneSdp() });
    expect(statusOf(await call.final())).toBe(480);
    const ended = await edge.routing.waitForReport('ended');
    expect(ended).toMatchObject({ cause: 'unavailable', status: 480 });
    expect(edge.media.sessions).toHaveLength(0);
  });

  it.each([
    [404, 'Not Found', 'not-found'],
    [403, 'Forbidden', 'forbidden'],
  ] as const)('passes a routing reject %i through to the caller', async (status, reason, cause) => {
    const reject: RouteDecision = { kind: 'reject', status, reason, cause };
    edge = await EdgeHarness.start({ decide: () => reject });
    const alice = await edge.phone('alice');
    const call = alice.call(edge.peer, { to: '9999', sdp: phoneSdp() });
    const final = await call.final();
    expect(statusOf(final)).toBe(status);
    expect(final.message.kind === 'response' && final.message.reason).toBe(reason);
    expect(edge.routing.requests).toHaveLength(1);
    expect(edge.media.sessions).toHaveLength(0);
    await waitFor(() => (edge?.server.activeCalls === 0 ? true : undefined), 'the call to end');
  });

  it('gives up with 480 and cancels the forks when nobody answers in time', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob'], { noAnswerTimeoutS: 1 }) });
    const alice = await edge.phone('alice');
    const bob = await edge.phone('bob', { registered: true });
    const call = alice.call(edge.peer, { to: '2002', sdp: phoneSdp() });
    const invite = await bob.takeRequest('INVITE');
    bob.answer(invite, 180, { toTag: 'bob1' });
    const started = Date.now();

    const final = await call.final(2500);
    expect(statusOf(final)).toBe(480);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(await cancelReason(bob)).toBe('SIP;cause=480;text="No answer"');
    const ended = await edge.routing.waitForReport('ended');
    expect(ended).toMatchObject({ cause: 'no-answer', status: 480, by: 'platform' });
  });
});
