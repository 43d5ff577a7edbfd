import { Dialog, type ParsedMessage, type ServerRequest } from '@pbx/sip';
import type { EdgeHarness } from './edge-harness';
import { phoneSdp, type OutgoingCall, type TestPhone } from './test-phone';

export interface ConnectedCall {
  readonly alice: TestPhone;
  readonly bob: TestPhone;
  readonly call: OutgoingCall;
  /** Bob's INVITE as it arrived. */
  readonly invite: ServerRequest;
  /** The 200 Alice got. */
  readonly ok: ParsedMessage;
  readonly aliceDialog: Dialog;
  readonly bobDialog: Dialog;
}

/**
 * Alice calls 2002, which the test's routing sends to bob; bob rings and answers with SDP; Alice
 * ACKs and bob gets the edge's ACK. The edge must already route to `ringUser(['bob'])`.
 */
export async function connectCall(
  edge: EdgeHarness,
  options: { readonly inviteHeaders?: readonly (readonly [string, string])[] } = {},
): Promise<ConnectedCall> {
  const alice = await edge.phone('alice');
  const bob = await edge.phone('bob', { registered: true });
  const call = alice.call(edge.peer, {
    to: '2002',
    sdp: phoneSdp(4000),
    headers: options.inviteHeaders,
  });
  const invite = await bob.takeRequest('INVITE');
  bob.answer(invite, 180, { toTag: 'bob1' });
  bob.answer(invite, 200, { sdp: phoneSdp(5000) });
  const ok = await call.waitForStatus(200);
  const aliceDialog = await call.ack();
  await bob.takeRequest('ACK');
  await edge.routing.waitForReport('answered');
  return {
    alice,
    bob,
    call,
    invite,
    ok,
    aliceDialog,
    bobDialog: Dialog.asUas(invite.parsed, 'bob1'),
  };
}
