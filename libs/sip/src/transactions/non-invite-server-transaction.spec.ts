import { buildResponse } from '../messages/build-response';
import type { SipRequest } from '../messages/sip-message';
import { NonInviteServerState, NonInviteServerTransaction } from './non-invite-server-transaction';
import type { ServerRequest } from './server-request';
import { inboundRequest, kinds, PHONE_TCP, PHONE_UDP } from './testing/fixtures';
import { FakeSipTransport } from './testing/fake-sip-transport';
import { TransactionLayer } from './transaction-layer';
import { TransactionErrorCode } from './transaction.error';

describe(NonInviteServerTransaction.name, () => {
  let transport: FakeSipTransport;
  let layer: TransactionLayer;
  let requests: ServerRequest[];

  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
    transport = new FakeSipTransport();
    layer = new TransactionLayer(transport);
    requests = [];
    layer.onRequest((r) => requests.push(r));
  });

  afterEach(() => {
    layer.close();
    jest.useRealTimers();
  });

  const register = inboundRequest({ method: 'REGISTER', requestUri: 'sip:pbx.example' });

  it('discards retransmissions while Trying and never sends 100 by itself', async () => {
    transport.deliver(register, PHONE_UDP);
    transport.deliver(register, PHONE_UDP);
    await jest.advanceTimersByTimeAsync(1000);
    expect(transport.sent).toHaveLength(0);
    expect(requests).toHaveLength(1);
    expect(layer.stats.absorbed).toBe(1);
  });

  it('replays the provisional while Proceeding and the final while Completed', () => {
    transport.deliver(register, PHONE_UDP);
    const r = requests[0];
    r.respond(buildResponse(r.request, 100));
    transport.deliver(register, PHONE_UDP);
    r.respond(buildResponse(r.request, 200, { toTag: 'reg1' }));
    transport.deliver(register, PHONE_UDP);
    expect(kinds(transport.take())).toEqual([100, 100, 200, 200]);
    expect(requests).toHaveLength(1);
    expect(() => r.respond(buildResponse(r.request, 500))).toThrow(
      expect.objectContaining({ code: TransactionErrorCode.AlreadyAnswered }),
    );
  });

  it('keeps the Completed response for Timer J = 64*T1 on UDP, without a live transaction', async () => {
    transport.deliver(register, PHONE_UDP);
    requests[0].respond(buildResponse(requests[0].request, 200));
    expect(layer.stats).toMatchObject({ serverTransactions: 0, retainedResponses: 1 });
    await jest.advanceTimersByTimeAsync(31_999);
    transport.deliver(register, PHONE_UDP);
    expect(kinds(transport.take())).toEqual([200, 200]);
    expect(requests).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(32_001);
    // After Timer J (here within 2*J) the same request is new again.
    transport.deliver(register, PHONE_UDP);
    expect(requests).toHaveLength(2);
  });

  it('stays Completed for Timer J itself when the layer does not keep its response', async () => {
    const request = transport.deliver(register, PHONE_UDP).message as SipRequest;
    requests[0].respond(buildResponse(requests[0].request, 200));
    transport.take();
    const env = new TransactionLayer(transport).timers;
    const sent: number[] = [];
    let terminated = false;
    const tx = new NonInviteServerTransaction({
      env: {
        timers: env,
        counters: { retransmissions: 0, absorbed: 0, timeouts: 0, strayResponses: 0, errors: 0 },
        isReliable: () => false,
        send: (m) => {
          if (m.kind === 'response') sent.push(m.status);
          return Promise.resolve();
        },
        reportError: () => undefined,
      },
      request,
      target: PHONE_UDP,
      onTerminated: () => (terminated = true),
    });
    tx.start();
    tx.respond(buildResponse(request, 200));
    tx.receiveRetransmission();
    expect(sent).toEqual([200, 200]);
    expect(tx.state).toBe(NonInviteServerState.Completed);
    await jest.advanceTimersByTimeAsync(32_000);
    expect(terminated).toBe(true);
  });

  it('terminates at once (Timer J = 0) on a reliable transport', () => {
    transport.deliver(inboundRequest({ method: 'BYE', transport: 'TCP', toTag: 'x' }), PHONE_TCP);
    requests[0].respond(buildResponse(requests[0].request, 200));
    expect(layer.stats.serverTransactions).toBe(0);
    expect(transport.take()[0].target.connectionId).toBe(42);
  });

  it('ends a transaction the TU leaves unanswered once the client gave up (64*T1)', async () => {
    transport.deliver(register, PHONE_UDP);
    await jest.advanceTimersByTimeAsync(31_999);
    expect(layer.stats.serverTransactions).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(layer.stats).toMatchObject({ serverTransactions: 0, timeouts: 1 });
    expect(() => requests[0].respond(buildResponse(requests[0].request, 200))).toThrow(
      expect.objectContaining({ code: TransactionErrorCode.AlreadyAnswered }),
    );
    expect(transport.sent).toHaveLength(0);
  });

  it('tells a new request from a retransmission by branch, sent-by and method (17.2.3)', () => {
    transport.deliver(register, PHONE_UDP);
    transport.deliver(inboundRequest({ method: 'REGISTER', branch: 'z9hG4bKother' }), PHONE_UDP);
    transport.deliver(inboundRequest({ method: 'REGISTER', sentBy: '10.0.0.8' }), PHONE_UDP);
    transport.deliver(inboundRequest({ method: 'OPTIONS' }), PHONE_UDP);
    expect(requests).toHaveLength(4);
    expect(layer.stats.serverTransactions).toBe(4);
  });

  it('matches RFC 2543 requests (no magic cookie) by Request-URI, tags, Call-ID, CSeq and Via', () => {
    const old = inboundRequest({ method: 'OPTIONS', branch: null });
    transport.deliver(old, PHONE_UDP);
    transport.deliver(old, PHONE_UDP);
    transport.deliver(inboundRequest({ method: 'OPTIONS', branch: null, cseq: 2 }), PHONE_UDP);
    expect(requests).toHaveLength(2);
  });
});
