import { SipHeaders, type SipResponse } from '../messages/sip-message';
import { NonInviteClientState, NonInviteClientTransaction } from './non-invite-client-transaction';
import { answer, outboundRequest, recordingListener, TRUNK_UDP } from './testing/fixtures';
import { FakeSipTransport } from './testing/fake-sip-transport';
import { TransactionLayer } from './transaction-layer';
import { TransactionErrorCode } from './transaction.error';

const TRUNK_TLS = { protocol: 'tls', address: '203.0.113.5', port: 5061 } as const;

describe(NonInviteClientTransaction.name, () => {
  let transport: FakeSipTransport;
  let layer: TransactionLayer;

  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
    transport = new FakeSipTransport();
    layer = new TransactionLayer(transport);
  });

  afterEach(() => {
    layer.close();
    jest.useRealTimers();
  });

  function start(target = TRUNK_UDP): {
    tx: NonInviteClientTransaction;
    listener: ReturnType<typeof recordingListener>;
  } {
    const listener = recordingListener();
    const tx = layer.sendRequest(outboundRequest('OPTIONS'), target, listener);
    return { tx: tx as NonInviteClientTransaction, listener };
  }

  it('retransmits with Timer E doubling up to T2, and times out with Timer F at 64*T1', async () => {
    const { tx, listener } = start();
    await jest.advanceTimersByTimeAsync(31_999);
    expect(transport.sent.map((s) => s.at)).toEqual([
      0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500,
    ]);
    await jest.advanceTimersByTimeAsync(1);
    expect(listener.events).toEqual(['timeout']);
    expect(tx.state).toBe(NonInviteClientState.Terminated);
    expect(layer.stats).toMatchObject({ retransmissions: 10, timeouts: 1, clientTransactions: 0 });
  });

  it('retransmits every T2 once Proceeding', async () => {
    const { tx, listener } = start();
    const [request] = transport.take();
    await jest.advanceTimersByTimeAsync(600); // one retransmission at 500, next due at 1500
    transport.take();
    transport.deliver(answer(request.parsed, 100), TRUNK_UDP);
    expect(tx.state).toBe(NonInviteClientState.Proceeding);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(transport.sent.map((s) => s.at)).toEqual([1500, 5500, 9500]);
    expect(listener.events).toEqual(['provisional 100']);
  });

  it('stops on a final response and keeps absorbing retransmissions for Timer K = T4', async () => {
    const { tx, listener } = start();
    const [request] = transport.take();
    const ok = answer(request.parsed, 200);
    transport.deliver(ok, TRUNK_UDP);
    transport.deliver(ok, TRUNK_UDP);
    expect(listener.events).toEqual(['final 200']);
    expect(tx.state).toBe(NonInviteClientState.Completed);
    await jest.advanceTimersByTimeAsync(4_999);
    expect(tx.state).toBe(NonInviteClientState.Completed);
    await jest.advanceTimersByTimeAsync(1);
    expect(tx.state).toBe(NonInviteClientState.Terminated);
    expect(transport.sent).toHaveLength(0);
    expect(layer.stats.absorbed).toBe(1);
  });

  it('has no retransmissions and Timer K = 0 on a reliable transport', async () => {
    const { tx } = start(TRUNK_TLS);
    const [request] = transport.take();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(transport.sent).toHaveLength(0);
    transport.deliver(answer(request.parsed, 404), TRUNK_TLS);
    expect(tx.state).toBe(NonInviteClientState.Terminated);
  });

  it('drops stray responses: unknown branch, CSeq method mismatch, several Vias', () => {
    const { listener } = start();
    const [request] = transport.take();
    const ok = answer(request.parsed, 200);
    const otherBranch = ok.headers.get('Via')?.replace(/branch=[^;]+/, 'branch=z9hG4bKother');
    transport.deliver({ ...ok, headers: cloneWith(ok, 'Via', otherBranch ?? '') }, TRUNK_UDP);
    transport.deliver({ ...ok, headers: cloneWith(ok, 'CSeq', '7 INVITE') }, TRUNK_UDP);
    const twoVias = cloneWith(ok, 'Via', `${ok.headers.get('Via')}, SIP/2.0/UDP 10.9.9.9`);
    transport.deliver({ ...ok, headers: twoVias }, TRUNK_UDP);
    expect(listener.events).toEqual([]);
    expect(layer.stats.strayResponses).toBe(3);
  });

  it('refuses to cancel a non-INVITE', () => {
    const { tx } = start();
    expect(() => tx.cancel()).toThrow(
      expect.objectContaining({ code: TransactionErrorCode.InvalidRequest }),
    );
  });

  it('throws on an illegal state transition', () => {
    const { tx } = start();
    expect(() => tx.stateTransition(NonInviteClientState.Trying)).toThrow(
      expect.objectContaining({ code: TransactionErrorCode.IllegalTransition }),
    );
  });
});

function cloneWith(response: SipResponse, name: string, value: string): SipHeaders {
  const headers = new SipHeaders([...response.headers.fields]);
  headers.set(name, value);
  return headers;
}
