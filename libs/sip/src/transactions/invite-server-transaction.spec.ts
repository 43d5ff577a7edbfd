import { buildResponse } from '../messages/build-response';
import type { SipRequest } from '../messages/sip-message';
import { InviteServerState, InviteServerTransaction } from './invite-server-transaction';
import type { ServerRequest } from './server-request';
import { inboundRequest, kinds, PHONE_TCP, PHONE_UDP } from './testing/fixtures';
import { FakeSipTransport } from './testing/fake-sip-transport';
import { TransactionLayer } from './transaction-layer';
import { TransactionErrorCode } from './transaction.error';

describe(InviteServerTransaction.name, () => {
  let transport: FakeSipTransport;
  let layer: TransactionLayer;
  let requests: ServerRequest[];
  let errors: unknown[];

  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
    transport = new FakeSipTransport();
    errors = [];
    layer = new TransactionLayer(transport, { onError: (e) => errors.push(e) });
    requests = [];
    layer.onRequest((r) => requests.push(r));
  });

  afterEach(() => {
    layer.close();
    jest.useRealTimers();
  });

  const ack2xx = (toTag: string): string =>
    inboundRequest({ method: 'ACK', branch: 'z9hG4bKack2xx', toTag });

  it('answers 100 Trying itself when the TU is silent for 200 ms (17.2.1)', async () => {
    transport.deliver(inboundRequest(), PHONE_UDP);
    expect(requests).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(199);
    expect(transport.sent).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    const [trying] = transport.take();
    expect(kinds([trying])).toEqual([100]);
    expect(trying.parsed.to.params).toEqual([]);
    // RFC 3581: received and rport filled in, and the response goes to them.
    expect(trying.target).toEqual({ protocol: 'udp', address: '198.51.100.7', port: 40000 });
    expect(trying.parsed.via[0]).toMatchObject({ received: '198.51.100.7', rport: 40000 });
  });

  it('sends no 100 when the TU answers within 200 ms', async () => {
    transport.deliver(inboundRequest(), PHONE_UDP);
    requests[0].respond(buildResponse(requests[0].request, 180, { toTag: 'u1' }));
    await jest.advanceTimersByTimeAsync(1000);
    expect(kinds(transport.take())).toEqual([180]);
  });

  it('without rport, answers UDP to the received address and the sent-by port', () => {
    transport.deliver(inboundRequest({ rport: false }), PHONE_UDP);
    requests[0].respond(buildResponse(requests[0].request, 180));
    const [ringing] = transport.take();
    expect(ringing.target).toEqual({ protocol: 'udp', address: '198.51.100.7', port: 5062 });
  });

  it('absorbs INVITE retransmissions, replaying the last provisional response', async () => {
    const invite = inboundRequest();
    transport.deliver(invite, PHONE_UDP);
    transport.deliver(invite, PHONE_UDP);
    expect(transport.sent).toHaveLength(0);
    requests[0].respond(buildResponse(requests[0].request, 180, { toTag: 'u1' }));
    transport.deliver(invite, PHONE_UDP);
    expect(kinds(transport.take())).toEqual([180, 180]);
    expect(requests).toHaveLength(1);
    expect(layer.stats.absorbed).toBe(2);
  });

  it('retransmits a non-2xx final with Timer G up to T2 until Timer H, then terminates', async () => {
    transport.deliver(inboundRequest(), PHONE_UDP);
    const tx = requests[0];
    tx.respond(buildResponse(tx.request, 486, { toTag: 'u1' }));
    expect(tx.pending).toBe(false);
    await jest.advanceTimersByTimeAsync(31_999);
    expect(transport.sent.map((s) => s.at)).toEqual([
      0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500,
    ]);
    expect(layer.stats.serverTransactions).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(layer.stats).toMatchObject({ serverTransactions: 0, timeouts: 1, retransmissions: 10 });
  });

  it('goes Confirmed on the ACK of a non-2xx, stops Timer G and absorbs ACKs for Timer I', async () => {
    transport.deliver(inboundRequest(), PHONE_UDP);
    requests[0].respond(buildResponse(requests[0].request, 603, { toTag: 'u1' }));
    transport.take();
    const ack = inboundRequest({ method: 'ACK', toTag: 'u1' }); // same branch as the INVITE
    transport.deliver(ack, PHONE_UDP);
    transport.deliver(ack, PHONE_UDP);
    expect(requests).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(4_999);
    expect(transport.sent).toHaveLength(0);
    expect(layer.stats.serverTransactions).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(layer.stats.serverTransactions).toBe(0);
  });

  it('uses the connection, no Timer G and Timer I = 0 on a reliable transport', async () => {
    transport.deliver(inboundRequest({ transport: 'TCP' }), PHONE_TCP);
    requests[0].respond(buildResponse(requests[0].request, 404, { toTag: 'u1' }));
    const [notFound] = transport.take();
    expect(notFound.target).toEqual({
      protocol: 'tcp',
      address: '198.51.100.7',
      port: 5062,
      connectionId: 42,
    });
    await jest.advanceTimersByTimeAsync(10_000);
    expect(transport.sent).toHaveLength(0);
    transport.deliver(inboundRequest({ method: 'ACK', transport: 'TCP', toTag: 'u1' }), PHONE_TCP);
    expect(layer.stats.serverTransactions).toBe(0);
  });

  it('retransmits a 2xx at T1 doubling to T2 until its ACK, which reaches the TU once', async () => {
    transport.deliver(inboundRequest(), PHONE_UDP);
    const invite = requests[0];
    invite.respond(buildResponse(invite.request, 200, { toTag: 'u1' }));
    await jest.advanceTimersByTimeAsync(12_000);
    expect(transport.sent.map((s) => s.at)).toEqual([0, 500, 1500, 3500, 7500, 11500]);
    transport.take();
    transport.deliver(ack2xx('u1'), PHONE_UDP);
    transport.deliver(ack2xx('u1'), PHONE_UDP);
    expect(requests.map((r) => r.request.method)).toEqual(['INVITE', 'ACK']);
    const ack = requests[1];
    expect(ack.pending).toBe(false);
    expect(() => ack.respond(buildResponse(ack.request, 200))).toThrow(
      expect.objectContaining({ code: TransactionErrorCode.NotAnswerable }),
    );
    const timedOut = jest.fn();
    invite.onAckTimeout(timedOut);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(transport.sent).toHaveLength(0);
    expect(timedOut).not.toHaveBeenCalled();
    expect(layer.stats).toMatchObject({ acceptedInvites: 0, serverTransactions: 0 });
  });

  it('fires the ACK-timeout listeners when no ACK comes within 64*T1 (13.3.1.4)', async () => {
    transport.deliver(inboundRequest(), PHONE_UDP);
    const invite = requests[0];
    const timedOut = jest.fn();
    invite.onAckTimeout(timedOut);
    invite.respond(buildResponse(invite.request, 200, { toTag: 'u1' }));
    await jest.advanceTimersByTimeAsync(31_999);
    expect(timedOut).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(timedOut).toHaveBeenCalledTimes(1);
    expect(layer.stats.timeouts).toBe(1);
    // A late ACK still reaches the TU (it ignores ACKs it has no dialog for).
    transport.deliver(ack2xx('u1'), PHONE_UDP);
    expect(requests).toHaveLength(2);
  });

  it('lets go of the ACK-timeout listeners once the ACK is in, or the answer is a failure', () => {
    // The layer keeps the request 32 s after its final response: a listener left there keeps
    // whatever it belongs to (a call) as long.
    const internal = (r: ServerRequest): { ackTimedOut(): void } =>
      r as unknown as { ackTimedOut(): void };
    transport.deliver(inboundRequest(), PHONE_UDP);
    const accepted = requests[0];
    const afterAck = jest.fn();
    accepted.onAckTimeout(afterAck);
    accepted.respond(buildResponse(accepted.request, 200, { toTag: 'u1' }));
    transport.deliver(ack2xx('u1'), PHONE_UDP);
    internal(accepted).ackTimedOut();
    expect(afterAck).not.toHaveBeenCalled();

    transport.deliver(inboundRequest({ callId: 'busy-call', branch: 'z9hG4bK-busy' }), PHONE_UDP);
    const busy = requests.filter((r) => r.request.method === 'INVITE')[1];
    const afterFailure = jest.fn();
    busy.onAckTimeout(afterFailure);
    busy.respond(buildResponse(busy.request, 486, { toTag: 'u2' }));
    internal(busy).ackTimedOut();
    expect(afterFailure).not.toHaveBeenCalled();
  });

  it('holds afterAck listeners until the 2xx has its ACK (RFC 3261 15)', () => {
    transport.deliver(inboundRequest(), PHONE_UDP);
    const invite = requests[0];
    const before = jest.fn();
    invite.afterAck(before);
    expect(before).toHaveBeenCalledTimes(1); // no 2xx awaits an ACK yet
    invite.respond(buildResponse(invite.request, 200, { toTag: 'u1' }));
    const bye = jest.fn();
    invite.afterAck(bye);
    expect(bye).not.toHaveBeenCalled();
    transport.deliver(ack2xx('u1'), PHONE_UDP);
    expect(bye).toHaveBeenCalledTimes(1);
    transport.deliver(ack2xx('u1'), PHONE_UDP);
    const later = jest.fn();
    invite.afterAck(later);
    expect(bye).toHaveBeenCalledTimes(1);
    expect(later).toHaveBeenCalledTimes(1);
  });

  it('releases afterAck listeners when the ACK never comes (64*T1)', async () => {
    transport.deliver(inboundRequest(), PHONE_UDP);
    const invite = requests[0];
    invite.respond(buildResponse(invite.request, 200, { toTag: 'u1' }));
    const bye = jest.fn();
    invite.afterAck(bye);
    await jest.advanceTimersByTimeAsync(31_999);
    expect(bye).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(bye).toHaveBeenCalledTimes(1);
  });

  it('in Accepted absorbs INVITE retransmissions and passes a same-branch ACK up (RFC 6026)', () => {
    transport.deliver(inboundRequest(), PHONE_TCP);
    requests[0].respond(buildResponse(requests[0].request, 200, { toTag: 'u1' }));
    transport.take();
    transport.deliver(inboundRequest(), PHONE_TCP);
    expect(transport.sent).toHaveLength(0);
    transport.deliver(inboundRequest({ method: 'ACK', toTag: 'u1' }), PHONE_TCP);
    expect(requests.map((r) => r.request.method)).toEqual(['INVITE', 'ACK']);
  });

  it('refuses a second final response, but lets a further 2xx through in Accepted', () => {
    transport.deliver(inboundRequest(), PHONE_UDP);
    const invite = requests[0];
    invite.respond(buildResponse(invite.request, 200, { toTag: 'u1' }));
    expect(() => invite.respond(buildResponse(invite.request, 486))).toThrow(
      expect.objectContaining({ code: TransactionErrorCode.AlreadyAnswered }),
    );
    invite.respond(buildResponse(invite.request, 200, { toTag: 'u1' }));
    expect(kinds(transport.take())).toEqual([200, 200]);
    expect(() => invite.respond(buildResponse(invite.request, 99))).toThrow(
      expect.objectContaining({ code: TransactionErrorCode.InvalidResponse }),
    );
  });

  it('reports a failed final response and terminates the transaction (17.2.4)', async () => {
    transport.deliver(inboundRequest(), PHONE_UDP);
    transport.failNextSends(new Error('EPERM'));
    requests[0].respond(buildResponse(requests[0].request, 480, { toTag: 'u1' }));
    await jest.advanceTimersByTimeAsync(0);
    expect(errors).toEqual([new Error('EPERM')]);
    expect(layer.stats.serverTransactions).toBe(0);
  });

  it('throws on an illegal state transition', () => {
    const tx = new InviteServerTransaction({
      env: {
        timers: layer.timers,
        counters: { retransmissions: 0, absorbed: 0, timeouts: 0, strayResponses: 0, errors: 0 },
        isReliable: () => false,
        send: () => Promise.resolve(),
        reportError: () => undefined,
      },
      request: requestOf(inboundRequest()),
      target: PHONE_UDP,
      onTerminated: () => undefined,
    });
    expect(() => tx.stateTransition(InviteServerState.Confirmed)).toThrow(
      expect.objectContaining({ code: TransactionErrorCode.IllegalTransition }),
    );
    tx.stateTransition(InviteServerState.Accepted);
    expect(() => tx.stateTransition(InviteServerState.Completed)).toThrow(
      expect.objectContaining({ code: TransactionErrorCode.IllegalTransition }),
    );
    tx.dispose();
  });
});

function requestOf(text: string): SipRequest {
  const t = new FakeSipTransport();
  const parsed = t.deliver(text, PHONE_UDP);
  if (parsed.message.kind !== 'request') throw new Error('fixture');
  return parsed.message;
}
