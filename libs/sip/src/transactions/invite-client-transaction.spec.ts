import { InviteClientState, InviteClientTransaction } from './invite-client-transaction';
import { answer, kinds, outboundRequest, recordingListener, TRUNK_UDP } from './testing/fixtures';
import { FakeSipTransport } from './testing/fake-sip-transport';
import { TransactionLayer } from './transaction-layer';
import { TransactionError, TransactionErrorCode } from './transaction.error';

const TRUNK_TCP = { protocol: 'tcp', address: '203.0.113.5', port: 5060 } as const;

describe(InviteClientTransaction.name, () => {
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
    tx: InviteClientTransaction;
    listener: ReturnType<typeof recordingListener>;
  } {
    const listener = recordingListener();
    const tx = layer.sendRequest(outboundRequest(), target, listener) as InviteClientTransaction;
    return { tx, listener };
  }

  it('sends the INVITE with our Via (branch with magic cookie, rport) on top', () => {
    const { tx } = start();
    const [sent] = transport.take();
    expect(sent.target).toBe(TRUNK_UDP);
    expect(sent.parsed.via).toHaveLength(1);
    expect(sent.parsed.via[0]).toMatchObject({
      transport: 'UDP',
      host: '192.0.2.1',
      port: 5060,
      branch: tx.branch,
      rport: true,
    });
    expect(tx.branch).toMatch(/^z9hG4bK/);
    expect(tx.state).toBe(InviteClientState.Calling);
  });

  it('retransmits over UDP with Timer A doubling from T1 until Timer B fires at 64*T1', async () => {
    const { tx, listener } = start();
    await jest.advanceTimersByTimeAsync(31_999);
    expect(transport.sent.map((s) => s.at)).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
    expect(listener.events).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(listener.events).toEqual(['timeout']);
    expect(tx.state).toBe(InviteClientState.Terminated);
    expect(layer.stats).toMatchObject({ clientTransactions: 0, retransmissions: 6, timeouts: 1 });
  });

  it('never retransmits over a reliable transport but still times out with Timer B', async () => {
    const { listener } = start(TRUNK_TCP);
    await jest.advanceTimersByTimeAsync(32_000);
    expect(transport.sent).toHaveLength(1);
    expect(listener.events).toEqual(['timeout']);
  });

  it('stops retransmitting and Timer B on a provisional response', async () => {
    const { tx, listener } = start();
    const [invite] = transport.take();
    transport.deliver(answer(invite.parsed, 180), TRUNK_UDP);
    expect(tx.state).toBe(InviteClientState.Proceeding);
    await jest.advanceTimersByTimeAsync(120_000);
    expect(transport.sent).toHaveLength(0);
    expect(listener.events).toEqual(['provisional 180']);
  });

  it('ACKs a non-2xx final itself (17.1.1.3) and absorbs its retransmissions until Timer D', async () => {
    const { tx, listener } = start();
    const [invite] = transport.take();
    const busy = answer(invite.parsed, 486, { toTag: 'busy1' });
    transport.deliver(busy, TRUNK_UDP);
    const [ack] = transport.take();
    expect(ack.target).toBe(TRUNK_UDP);
    const m = ack.parsed.message;
    expect(m.kind === 'request' && m.method).toBe('ACK');
    expect(m.kind === 'request' && m.requestUri).toBe('sip:300@203.0.113.5');
    expect(ack.parsed.via).toHaveLength(1);
    expect(ack.parsed.via[0].branch).toBe(tx.branch);
    expect(ack.parsed.cseq).toEqual({ seq: 7, method: 'ACK' });
    expect(ack.parsed.to.params).toContainEqual({ name: 'tag', value: 'busy1' });
    expect(m.headers.getAll('Route')).toEqual(['<sip:edge.example;lr>']);
    expect(ack.parsed.callId).toBe('out-call-1');
    expect(tx.state).toBe(InviteClientState.Completed);

    transport.deliver(busy, TRUNK_UDP);
    expect(kinds(transport.take())).toEqual(['ACK']);
    expect(listener.events).toEqual(['final 486']);

    await jest.advanceTimersByTimeAsync(31_999);
    expect(tx.state).toBe(InviteClientState.Completed);
    await jest.advanceTimersByTimeAsync(1);
    expect(tx.state).toBe(InviteClientState.Terminated);
    expect(layer.stats.clientTransactions).toBe(0);
  });

  it('uses Timer D = 0 on a reliable transport', () => {
    const { tx } = start(TRUNK_TCP);
    const [invite] = transport.take();
    transport.deliver(answer(invite.parsed, 404), TRUNK_TCP);
    expect(tx.state).toBe(InviteClientState.Terminated);
    expect(kinds(transport.take())).toEqual(['ACK']);
  });

  it('enters Accepted on a 2xx and passes further 2xx to the TU until Timer M (RFC 6026)', async () => {
    const { tx, listener } = start();
    const [invite] = transport.take();
    const ok = answer(invite.parsed, 200, { headers: [['Contact', '<sip:300@203.0.113.5>']] });
    transport.deliver(ok, TRUNK_UDP);
    expect(tx.state).toBe(InviteClientState.Accepted);
    transport.deliver(ok, TRUNK_UDP);
    transport.deliver(answer(invite.parsed, 486), TRUNK_UDP);
    expect(listener.events).toEqual(['final 200', '2xx-again 200']);
    expect(transport.sent).toHaveLength(0); // the TU ACKs 2xx responses, not the transaction
    await jest.advanceTimersByTimeAsync(32_000);
    expect(tx.state).toBe(InviteClientState.Terminated);
    transport.deliver(ok, TRUNK_UDP);
    expect(listener.events).toHaveLength(2);
    expect(layer.stats.strayResponses).toBe(1);
  });

  it('reports a transport error and terminates', async () => {
    transport.failNextSends(new Error('EHOSTUNREACH'));
    const { tx, listener } = start();
    await jest.advanceTimersByTimeAsync(0);
    expect(listener.events).toEqual(['transport-error EHOSTUNREACH']);
    expect(tx.state).toBe(InviteClientState.Terminated);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(transport.sent).toHaveLength(0);
  });

  describe('cancel (RFC 3261 9.1)', () => {
    it('waits for a provisional response before sending the CANCEL', async () => {
      const { tx } = start();
      const [invite] = transport.take();
      tx.cancel([['Reason', 'SIP;cause=200;text="Call completed elsewhere"']]);
      await jest.advanceTimersByTimeAsync(400);
      expect(transport.sent).toHaveLength(0);
      transport.deliver(answer(invite.parsed, 100), TRUNK_UDP);
      const [cancel] = transport.take();
      const m = cancel.parsed.message;
      expect(m.kind === 'request' && m.method).toBe('CANCEL');
      expect(m.kind === 'request' && m.requestUri).toBe('sip:300@203.0.113.5');
      expect(cancel.parsed.via[0].branch).toBe(tx.branch);
      expect(cancel.parsed.cseq).toEqual({ seq: 7, method: 'CANCEL' });
      expect(cancel.parsed.callId).toBe('out-call-1');
      expect(m.headers.get('From')).toBe(invite.parsed.message.headers.get('From'));
      expect(m.headers.get('To')).toBe(invite.parsed.message.headers.get('To'));
      expect(m.headers.getAll('Route')).toEqual(['<sip:edge.example;lr>']);
      expect(m.headers.get('Reason')).toBe('SIP;cause=200;text="Call completed elsewhere"');
      expect(layer.stats.clientTransactions).toBe(2);
    });

    it('sends the CANCEL at once after a provisional and only once', () => {
      const { tx, listener } = start();
      const [invite] = transport.take();
      transport.deliver(answer(invite.parsed, 180), TRUNK_UDP);
      tx.cancel();
      tx.cancel();
      const [cancel] = transport.take();
      expect(cancel.parsed.cseq.method).toBe('CANCEL');
      expect(transport.sent).toHaveLength(0);
      // The 200 to the CANCEL goes to the CANCEL transaction; the 487 ends the INVITE.
      transport.deliver(answer(cancel.parsed, 200), TRUNK_UDP);
      transport.deliver(answer(invite.parsed, 487), TRUNK_UDP);
      expect(kinds(transport.take())).toEqual(['ACK']);
      expect(listener.events).toEqual(['provisional 180', 'final 487']);
    });

    it('is a no-op after a final response', () => {
      const { tx } = start();
      const [invite] = transport.take();
      transport.deliver(answer(invite.parsed, 603), TRUNK_UDP);
      transport.take();
      tx.cancel();
      expect(transport.sent).toHaveLength(0);
    });

    it('drops a pending CANCEL when a final response comes first', () => {
      const { tx } = start();
      const [invite] = transport.take();
      tx.cancel();
      transport.deliver(answer(invite.parsed, 200), TRUNK_UDP);
      expect(transport.sent).toHaveLength(0);
      expect(tx.state).toBe(InviteClientState.Accepted);
    });

    it('gives up on the INVITE 64*T1 after the CANCEL without a final response', async () => {
      const { tx, listener } = start(TRUNK_TCP);
      const [invite] = transport.take();
      transport.deliver(answer(invite.parsed, 180), TRUNK_TCP);
      tx.cancel();
      await jest.advanceTimersByTimeAsync(31_999);
      expect(listener.events).toEqual(['provisional 180']);
      await jest.advanceTimersByTimeAsync(1);
      expect(listener.events).toEqual(['provisional 180', 'timeout']);
      expect(tx.state).toBe(InviteClientState.Terminated);
    });
  });

  it('throws on an illegal state transition', () => {
    const { tx } = start();
    const [invite] = transport.take();
    transport.deliver(answer(invite.parsed, 500), TRUNK_UDP);
    expect(() => tx.stateTransition(InviteClientState.Proceeding)).toThrow(
      expect.objectContaining({ code: TransactionErrorCode.IllegalTransition }),
    );
    expect(() => tx.stateTransition(InviteClientState.Accepted)).toThrow(TransactionError);
  });
});
