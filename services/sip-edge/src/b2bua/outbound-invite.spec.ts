import {
  buildResponse,
  parseMessage,
  serializeMessage,
  type ClientTransactionListener,
  type ParsedMessage,
  type SipRequest,
} from '@pbx/sip';
import { isCollected } from '@pbx/testing';
import type { B2buaContext } from './b2bua-context';
import { OutboundInvite, type OutboundInviteListener } from './outbound-invite';

/** A layer that records what the fork sends and hands back the transaction's listener. */
function fakeContext() {
  const sent: { request: SipRequest; listener: ClientTransactionListener }[] = [];
  const stateless: SipRequest[] = [];
  const ctx = {
    layer: {
      sendRequest(request: SipRequest, _target: unknown, listener: ClientTransactionListener) {
        sent.push({ request, listener });
        return { cancel: () => undefined, pending: true };
      },
      sendStateless(request: SipRequest) {
        stateless.push(request);
        return Promise.resolve();
      },
    },
    transport: { contactUri: () => 'sip:edge@192.0.2.1:5060' },
    log: { warn: () => undefined },
  } as unknown as B2buaContext;
  return { ctx, sent, stateless };
}

function responseTo(request: SipRequest, status: number): ParsedMessage {
  const parsed = parseMessage(
    serializeMessage(
      buildResponse(request, status, {
        toTag: 'callee-tag',
        // The layer puts the Via on what it sends; this fake does not.
        headers: [
          ['Via', 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-fork-1'],
          ...(status < 300
            ? ([['Contact', '<sip:301@198.51.100.9:5062>']] as [string, string][])
            : []),
        ],
      }),
    ),
  );
  if (parsed.kind !== 'message') throw new Error(`unparsable: ${parsed.kind}`);
  return parsed;
}

const params = {
  requestUri: 'sip:301@198.51.100.9:5062',
  to: '<sip:301@acme.example>',
  from: '"Alice" <sip:201@acme.example>',
  headers: [],
  target: { protocol: 'udp' as const, address: '198.51.100.9', port: 5062 },
};

describe(OutboundInvite.name, () => {
  // The transaction keeps the fork 32 s after a 2xx (RFC 6026) to ACK retransmissions again;
  // the call behind the listener must not live that long with it.
  it('lets go of its call once answered, and still ACKs a retransmitted 2xx', async () => {
    const { ctx, sent, stateless } = fakeContext();
    // Plain functions: a jest.fn would keep the listener as the `this` of its calls.
    const answered: unknown[][] = [];
    let listener: OutboundInviteListener | undefined = {
      onProvisional: () => undefined,
      onAnswered: (...args) => void answered.push(args),
      onFailed: () => undefined,
    };
    const ref = new WeakRef(listener);
    const fork = new OutboundInvite(ctx, params, listener);
    listener = undefined;
    fork.start();
    const [{ request, listener: tx }] = sent;
    const ok = responseTo(request, 200);
    tx.onFinal(ok);
    expect(answered).toEqual([[fork, ok]]);
    fork.confirm();
    expect(stateless.map((r) => r.method)).toEqual(['ACK']);

    expect(await isCollected(ref)).toBe(true);
    tx.on2xxRetransmission?.(ok);
    expect(stateless.map((r) => r.method)).toEqual(['ACK', 'ACK']);
    expect(fork.state).toBe('answered');
  });

  it('lets go of its call once it has failed', async () => {
    const { ctx, sent } = fakeContext();
    const failed: unknown[][] = [];
    let listener: OutboundInviteListener | undefined = {
      onProvisional: () => undefined,
      onAnswered: () => undefined,
      onFailed: (...args) => void failed.push(args),
    };
    const ref = new WeakRef(listener);
    const fork = new OutboundInvite(ctx, params, listener);
    listener = undefined;
    fork.start();
    const [{ request, listener: tx }] = sent;
    tx.onFinal(responseTo(request, 486));
    expect(failed).toEqual([[fork, 486]]);
    expect(await isCollected(ref)).toBe(true);
    tx.onTimeout();
    expect(failed).toHaveLength(1);
  });
});
