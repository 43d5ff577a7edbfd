import { Dialog } from '../dialogs/dialog';
import { buildRequest } from '../messages/build-request';
import { buildResponse } from '../messages/build-response';
import type { ParsedMessage } from '../messages/parse-message';
import type { Peer } from '../transports/sip-transport';
import { SipTransportLayer } from '../transports/sip-transport-layer';
import type { ServerRequest } from './server-request';
import { TransactionLayer } from './transaction-layer';

/** Polls until `probe` returns a value; fails after `ms`. */
async function waitFor<T>(probe: () => T | undefined, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function statusOf(m: ParsedMessage): number {
  return m.message.kind === 'response' ? m.message.status : 0;
}

/** Two UAs over real UDP sockets on 127.0.0.1, each with its own transaction layer. */
describe('TransactionLayer over SipTransportLayer (UDP)', () => {
  let aliceTransport: SipTransportLayer;
  let bobTransport: SipTransportLayer;
  let alice: TransactionLayer;
  let bob: TransactionLayer;
  let bobPeer: Peer;
  let bobRequests: ServerRequest[];

  beforeEach(async () => {
    aliceTransport = await SipTransportLayer.start({ host: '127.0.0.1', udpPort: 0 });
    bobTransport = await SipTransportLayer.start({ host: '127.0.0.1', udpPort: 0 });
    const timers = { t1: 20, t2: 160, t4: 200 };
    alice = new TransactionLayer(aliceTransport, { timers });
    bob = new TransactionLayer(bobTransport, { timers });
    bobRequests = [];
    bob.onRequest((r) => bobRequests.push(r));
    const port = bobTransport.ports().udp;
    if (port === undefined) throw new Error('no UDP port');
    bobPeer = { protocol: 'udp', address: '127.0.0.1', port };
  });

  afterEach(async () => {
    alice.close();
    bob.close();
    await aliceTransport.close();
    await bobTransport.close();
  });

  function invite(cseq = 1): ReturnType<typeof buildRequest> {
    return buildRequest({
      method: 'INVITE',
      requestUri: `sip:bob@127.0.0.1:${bobPeer.port}`,
      from: { uri: 'sip:alice@127.0.0.1', displayName: 'Alice', tag: `a${cseq}` },
      to: { uri: `sip:bob@127.0.0.1:${bobPeer.port}` },
      cseq,
      contact: aliceTransport.contactUri('udp', 'alice'),
    });
  }

  it('sets up a call (INVITE, 180, 200, ACK) and ends it with an in-dialog BYE', async () => {
    const events: string[] = [];
    let answered: ParsedMessage | undefined;
    const request = invite();
    alice.sendRequest(request, bobPeer, {
      onProvisional: (r) => events.push(`provisional ${statusOf(r)}`),
      onFinal: (r) => {
        events.push(`final ${statusOf(r)}`);
        answered = r;
      },
      onTimeout: () => events.push('timeout'),
      onTransportError: (e) => events.push(`error ${e.message}`),
    });
    const incoming = await waitFor(() => bobRequests[0]);
    expect(incoming.source.port).toBe(aliceTransport.ports().udp);
    incoming.respond(buildResponse(incoming.request, 180, { toTag: 'b1' }));
    incoming.respond(
      buildResponse(incoming.request, 200, {
        toTag: 'b1',
        headers: [['Contact', `<${bobTransport.contactUri('udp', 'bob')}>`]],
      }),
    );
    const ok = await waitFor(() => answered);
    expect(events).toEqual(['provisional 180', 'final 200']);

    const aliceDialog = Dialog.asUac(request, ok);
    await alice.sendStateless(aliceDialog.createAck(1), bobPeer);
    const ack = await waitFor(() => bobRequests[1]);
    expect(ack.request.method).toBe('ACK');
    expect(bob.stats.acceptedInvites).toBe(1);

    const bobDialog = Dialog.asUas(incoming.parsed, 'b1');
    const { request: bye, targetUri } = bobDialog.createRequest('BYE');
    expect(targetUri).toBe(aliceTransport.contactUri('udp', 'alice'));
    const aliceRequests: ServerRequest[] = [];
    alice.onRequest((r) => {
      aliceRequests.push(r);
      expect(aliceDialog.acceptRemoteCSeq(r.parsed.cseq.seq)).toBe(true);
      r.respond(buildResponse(r.request, 200));
    });
    let byeStatus = 0;
    const alicePeer: Peer = {
      protocol: 'udp',
      address: '127.0.0.1',
      port: aliceTransport.ports().udp ?? 0,
    };
    bob.sendRequest(bye, alicePeer, {
      onFinal: (r) => (byeStatus = statusOf(r)),
      onTimeout: () => (byeStatus = -1),
      onTransportError: () => (byeStatus = -2),
    });
    await waitFor(() => (byeStatus === 0 ? undefined : byeStatus));
    expect(byeStatus).toBe(200);
    expect(aliceRequests[0].request.method).toBe('BYE');
    expect(aliceRequests[0].parsed.to.params).toContainEqual({ name: 'tag', value: 'a1' });
  });

  it('cancels a ringing call: 200 to the CANCEL, 487 to the INVITE, ACKed by the transaction', async () => {
    let final = 0;
    const tx = alice.sendRequest(invite(2), bobPeer, {
      onProvisional: () => tx.cancel([['Reason', 'SIP;cause=487']]),
      onFinal: (r) => (final = statusOf(r)),
      onTimeout: () => (final = -1),
      onTransportError: () => (final = -2),
    });
    const incoming = await waitFor(() => bobRequests[0]);
    const cancelled = new Promise<void>((resolve) => incoming.onCancel(resolve));
    incoming.respond(buildResponse(incoming.request, 180, { toTag: 'b2' }));
    await cancelled;
    incoming.respond(buildResponse(incoming.request, 487, { toTag: 'b2' }));
    await waitFor(() => (final === 0 ? undefined : final));
    expect(final).toBe(487);
    // The ACK of the 487 confirms the INVITE transaction (Timer I), the CANCEL one ends (Timer J).
    await waitFor(() => (bob.stats.serverTransactions === 0 ? true : undefined));
    expect(bobRequests).toHaveLength(1);
  });
});
