import { isCollected } from '@pbx/testing';
import { buildResponse } from '../messages/build-response';
import type { ParsedMessage } from '../messages/parse-message';
import { answer, inboundRequest, outboundRequest, PHONE_UDP, TRUNK_UDP } from './testing/fixtures';
import { FakeSipTransport } from './testing/fake-sip-transport';
import { TransactionLayer } from './transaction-layer';

/**
 * RFC 6026 keeps INVITE transactions 32 s after a 2xx. What they keep for it must not include
 * the messages and the requests of the call: at a few hundred calls a second that was tens of
 * megabytes promoted a second and long major GCs.
 */
describe('TransactionLayer keeps no message of an answered INVITE for its 32 s', () => {
  let transport: FakeSipTransport;
  let layer: TransactionLayer;

  beforeEach(() => {
    transport = new FakeSipTransport();
    layer = new TransactionLayer(transport);
  });
  afterEach(() => layer.close());

  it('lets go of an inbound INVITE once its 2xx has its ACK, and still absorbs repeats', async () => {
    let ref: WeakRef<object> | undefined;
    layer.onRequest((incoming) => {
      if (incoming.request.method !== 'INVITE') return;
      ref = new WeakRef(incoming);
      incoming.respond(buildResponse(incoming.request, 200, { toTag: 'u1' }));
    });
    transport.deliver(inboundRequest(), PHONE_UDP);
    transport.deliver(
      inboundRequest({ method: 'ACK', branch: 'z9hG4bKack2xx', toTag: 'u1' }),
      PHONE_UDP,
    );
    expect(layer.stats).toMatchObject({ serverTransactions: 1, acceptedInvites: 1 });
    expect(await isCollected(ref as WeakRef<object>)).toBe(true);

    transport.take();
    transport.deliver(inboundRequest(), PHONE_UDP);
    transport.deliver(
      inboundRequest({ method: 'ACK', branch: 'z9hG4bKack2xx', toTag: 'u1' }),
      PHONE_UDP,
    );
    expect(transport.take()).toEqual([]);
    expect(layer.stats.absorbed).toBe(2);
  });

  it('lets go of a 2xx it received while it waits for the 2xx to be sent again', async () => {
    let ref: WeakRef<object> | undefined;
    const again: ParsedMessage[] = [];
    layer.sendRequest(outboundRequest(), TRUNK_UDP, {
      onFinal: (response) => void (ref = new WeakRef(response)),
      on2xxRetransmission: (response) => void again.push(response),
      onTimeout: () => undefined,
      onTransportError: () => undefined,
    });
    const [invite] = transport.take();
    const ok = (): ReturnType<typeof answer> =>
      answer(invite.parsed, 200, { headers: [['Contact', '<sip:300@203.0.113.5>']] });
    transport.deliver(ok(), TRUNK_UDP);
    await new Promise((resolve) => setImmediate(resolve));
    expect(layer.stats.clientTransactions).toBe(1);
    expect(await isCollected(ref as WeakRef<object>)).toBe(true);
    transport.deliver(ok(), TRUNK_UDP);
    await new Promise((resolve) => setImmediate(resolve));
    expect(again).toHaveLength(1);
  });
});
