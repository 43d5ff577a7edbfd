import { buildResponse } from '../messages/build-response';
import type { ServerRequest } from './server-request';
import { inboundRequest, kinds, PHONE_UDP } from './testing/fixtures';
import { FakeSipTransport } from './testing/fake-sip-transport';
import { TransactionLayer } from './transaction-layer';

/** RFC 3261 9.2 as done by the layer. */
describe('TransactionLayer CANCEL handling', () => {
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

  const cancel = inboundRequest({ method: 'CANCEL' });

  it('answers 200, keeping the To tag of the INVITE, and fires the cancel listeners', () => {
    transport.deliver(inboundRequest(), PHONE_UDP);
    const invite = requests[0];
    invite.respond(buildResponse(invite.request, 180, { toTag: 'u1' }));
    const cancelled = jest.fn();
    invite.onCancel(cancelled);
    transport.take();
    transport.deliver(cancel, PHONE_UDP);
    const [ok] = transport.take();
    expect(kinds([ok])).toEqual([200]);
    expect(ok.parsed.cseq).toEqual({ seq: 1, method: 'CANCEL' });
    expect(ok.parsed.to.params).toContainEqual({ name: 'tag', value: 'u1' });
    expect(cancelled).toHaveBeenCalledTimes(1);
    expect(invite.cancelled).toBe(true);
    expect(requests).toHaveLength(1); // the CANCEL itself never reaches the TU
    // The TU answers 487; a retransmitted CANCEL gets the same 200 and no second notification.
    invite.respond(buildResponse(invite.request, 487, { toTag: 'u1' }));
    transport.deliver(cancel, PHONE_UDP);
    expect(kinds(transport.take())).toEqual([487, 200]);
    expect(cancelled).toHaveBeenCalledTimes(1);
    const late = jest.fn();
    invite.onCancel(late);
    expect(late).toHaveBeenCalledTimes(1);
  });

  it('answers 481 to a CANCEL matching no INVITE', () => {
    transport.deliver(cancel, PHONE_UDP);
    expect(kinds(transport.take())).toEqual([481]);
    expect(requests).toHaveLength(0);
  });

  it('answers 481 when only the branch differs', () => {
    transport.deliver(inboundRequest(), PHONE_UDP);
    transport.deliver(inboundRequest({ method: 'CANCEL', branch: 'z9hG4bKnot' }), PHONE_UDP);
    expect(kinds(transport.take())).toEqual([481]);
    expect(requests[0].cancelled).toBe(false);
  });

  it('answers 200 but cancels nothing after the final response', () => {
    transport.deliver(inboundRequest(), PHONE_UDP);
    const invite = requests[0];
    const cancelled = jest.fn();
    invite.onCancel(cancelled);
    invite.respond(buildResponse(invite.request, 200, { toTag: 'u1' }));
    transport.take();
    transport.deliver(cancel, PHONE_UDP);
    expect(kinds(transport.take())).toEqual([200]);
    expect(cancelled).not.toHaveBeenCalled();
    expect(invite.cancelled).toBe(false);
  });

  it('lets go of the cancel listeners once the final response is sent', () => {
    transport.deliver(inboundRequest(), PHONE_UDP);
    const invite = requests[0];
    const before = jest.fn();
    invite.onCancel(before);
    invite.respond(buildResponse(invite.request, 200, { toTag: 'u1' }));
    const after = jest.fn();
    invite.onCancel(after);
    // The layer keeps the request 32 s after a 2xx: nothing it would call may stay reachable.
    (invite as unknown as { markCancelled(): void }).markCancelled();
    expect(before).not.toHaveBeenCalled();
    expect(after).not.toHaveBeenCalled();
  });

  it('contains a throwing cancel listener', () => {
    transport.deliver(inboundRequest(), PHONE_UDP);
    requests[0].onCancel(() => {
      throw new Error('listener bug');
    });
    transport.deliver(cancel, PHONE_UDP);
    expect(kinds(transport.take())).toEqual([200]);
    expect(layer.stats.errors).toBe(1);
  });
});
