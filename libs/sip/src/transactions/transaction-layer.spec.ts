import { serializeMessage } from '../messages/serialize-message';
import { buildResponse } from '../messages/build-response';
import { parseMessage } from '../messages/parse-message';
import type { ServerRequest } from './server-request';
import {
  inboundRequest,
  kinds,
  outboundRequest,
  PHONE_UDP,
  recordingListener,
  TRUNK_UDP,
} from './testing/fixtures';
import { FakeSipTransport } from './testing/fake-sip-transport';
import { statelessToTag } from './stateless-to-tag';
import { TransactionLayer } from './transaction-layer';
import { TransactionErrorCode } from './transaction.error';

describe(TransactionLayer.name, () => {
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

  describe('inbound requests', () => {
    describe('the stateless screen (RFC 3261 8.2.7)', () => {
      const challenge = (r: ServerRequest['parsed']): ReturnType<typeof buildResponse> =>
        buildResponse(r.message as ServerRequest['request'], 401, { toTag: statelessToTag(r) });

      it('answers what the screen returns without a transaction, anew for a retransmission', () => {
        const seen: string[] = [];
        layer.onRequest((r) => seen.push(r.request.method));
        layer.setStatelessScreen((inbound) => challenge(inbound.parsed));
        transport.deliver(inboundRequest({ method: 'REGISTER' }), PHONE_UDP);
        transport.deliver(inboundRequest({ method: 'REGISTER' }), PHONE_UDP);
        const sent = transport.take();
        expect(kinds(sent)).toEqual([401, 401]);
        expect(sent[1].parsed.to).toEqual(sent[0].parsed.to);
        expect(sent[0].target).toEqual(PHONE_UDP);
        expect(seen).toEqual([]);
        expect(layer.stats).toMatchObject({
          serverTransactions: 0,
          retainedResponses: 0,
          statelessResponses: 2,
        });
      });

      it('gives the request its transaction when the screen passes, throws or returns a provisional', () => {
        const errors: unknown[] = [];
        const own = new FakeSipTransport();
        const l = new TransactionLayer(own, { onError: (e) => errors.push(e) });
        const seen: string[] = [];
        l.onRequest((r) => {
          seen.push(r.request.method);
          r.respond(buildResponse(r.request, 200));
        });
        const screens = [
          () => null,
          () => {
            throw new Error('screen bug');
          },
          (
            inbound: Parameters<Parameters<TransactionLayer['setStatelessScreen']>[0] & object>[0],
          ) => buildResponse(inbound.parsed.message as ServerRequest['request'], 100),
        ];
        screens.forEach((screen, i) => {
          l.setStatelessScreen(screen);
          own.deliver(inboundRequest({ method: 'OPTIONS', branch: `z9hG4bKs${i}` }), PHONE_UDP);
        });
        expect(seen).toEqual(['OPTIONS', 'OPTIONS', 'OPTIONS']);
        expect(kinds(own.take())).toEqual([200, 200, 200]);
        expect(errors).toHaveLength(2);
        l.close();
      });

      it('never screens a CANCEL, an ACK or a retransmission of a live transaction', () => {
        const screened: string[] = [];
        const pending: ServerRequest[] = [];
        layer.onRequest((r) => pending.push(r));
        transport.deliver(inboundRequest({ method: 'INVITE' }), PHONE_UDP);
        layer.setStatelessScreen((inbound) => {
          screened.push((inbound.parsed.message as ServerRequest['request']).method);
          return null;
        });
        transport.deliver(inboundRequest({ method: 'INVITE' }), PHONE_UDP);
        transport.deliver(inboundRequest({ method: 'CANCEL' }), PHONE_UDP);
        transport.deliver(
          inboundRequest({ method: 'ACK', toTag: 'x', branch: 'z9hG4bKack' }),
          PHONE_UDP,
        );
        expect(screened).toEqual([]);
      });
    });

    it('keeps what a datagram screen answered for the request’s retransmissions', async () => {
      const seen: string[] = [];
      layer.onRequest((r) => {
        seen.push(r.request.method);
        r.respond(buildResponse(r.request, 200));
      });
      const key = 'REGISTER z9hG4bKphone1 10.0.0.7:5062';
      expect(layer.screenedRequest(key, PHONE_UDP)).toBe('new');
      const request = parseMessage(Buffer.from(inboundRequest({ method: 'REGISTER' })));
      if (request.kind !== 'message' || request.message.kind !== 'request')
        throw new Error('fixture');
      const answer = serializeMessage(buildResponse(request.message, 200));
      layer.answerScreened(key, answer, PHONE_UDP, false);
      layer.answerScreened('REGISTER z9hG4bKother 10.0.0.7:5062', answer, PHONE_UDP, true);
      await jest.advanceTimersByTimeAsync(0);
      expect(transport.take()).toHaveLength(2);
      expect(layer.stats).toMatchObject({ retainedResponses: 1, statelessResponses: 1 });
      // A retransmission, whichever way it comes in, gets the kept answer again.
      expect(layer.screenedRequest(key, PHONE_UDP)).toBe('absorbed');
      transport.deliver(inboundRequest({ method: 'REGISTER' }), PHONE_UDP);
      await jest.advanceTimersByTimeAsync(0);
      expect(transport.take()).toHaveLength(2);
      expect(seen).toEqual([]);
      expect(layer.stats).toMatchObject({ absorbed: 2 });
      // A request whose transaction is open is the layer's.
      layer.onRequest((r) => seen.push(r.request.method));
      transport.deliver(inboundRequest({ method: 'OPTIONS' }), PHONE_UDP);
      expect(layer.screenedRequest('OPTIONS z9hG4bKphone1 10.0.0.7:5062', PHONE_UDP)).toBe('open');
      layer.close();
      expect(layer.screenedRequest('REGISTER z9hG4bKnew 10.0.0.7:5062', PHONE_UDP)).toBe('open');
    });

    it('answers 503 while no handler is set (but never an ACK)', () => {
      transport.deliver(inboundRequest({ method: 'OPTIONS' }), PHONE_UDP);
      transport.deliver(inboundRequest({ method: 'ACK', toTag: 'x' }), PHONE_UDP);
      expect(kinds(transport.take())).toEqual([503]);
    });

    it('answers 500 when the handler throws before answering, and reports the error', () => {
      const errors: unknown[] = [];
      const own = new FakeSipTransport();
      const l = new TransactionLayer(own, { onError: (e) => errors.push(e) });
      l.onRequest(() => {
        throw new Error('handler bug');
      });
      own.deliver(inboundRequest({ method: 'OPTIONS' }), PHONE_UDP);
      expect(kinds(own.take())).toEqual([500]);
      expect(errors).toEqual([new Error('handler bug')]);
      l.close();
    });

    it('replays a non-INVITE final response for at least Timer J, then takes the request as new', async () => {
      const seen: string[] = [];
      layer.onRequest((r) => {
        seen.push(r.request.method);
        r.respond(buildResponse(r.request, 200));
      });
      const register = inboundRequest({ method: 'REGISTER' });
      transport.deliver(register, PHONE_UDP);
      const [first] = transport.take();
      expect(first.parsed.message).toMatchObject({ status: 200 });
      // Completed is kept as the response's bytes, not as a live transaction.
      expect(layer.stats).toMatchObject({ serverTransactions: 0, retainedResponses: 1 });
      // A retransmission inside Timer J (64*T1 = 32 s) gets the same bytes, not the handler.
      await jest.advanceTimersByTimeAsync(31_999);
      transport.deliver(inboundRequest({ method: 'REGISTER' }), PHONE_UDP);
      const [again] = transport.take();
      expect(serializeMessage(again.parsed.message)).toEqual(
        serializeMessage(first.parsed.message),
      );
      expect(again.target).toEqual(first.target);
      expect(seen).toEqual(['REGISTER']);
      // Kept at most 2*J (two generations); then the same branch is a new request.
      await jest.advanceTimersByTimeAsync(32_001);
      expect(layer.stats.retainedResponses).toBe(0);
      transport.deliver(inboundRequest({ method: 'REGISTER' }), PHONE_UDP);
      expect(seen).toEqual(['REGISTER', 'REGISTER']);
    });

    it('forgets a non-INVITE final response that could not be sent', async () => {
      layer.onRequest((r) => r.respond(buildResponse(r.request, 200)));
      transport.failNextSends(new Error('network down'));
      transport.deliver(inboundRequest({ method: 'OPTIONS' }), PHONE_UDP);
      await jest.advanceTimersByTimeAsync(0);
      expect(layer.stats.retainedResponses).toBe(0);
      expect(layer.stats.errors).toBe(1);
      // The retransmission is a new request, answered this time.
      transport.deliver(inboundRequest({ method: 'OPTIONS' }), PHONE_UDP);
      expect(kinds(transport.take())).toEqual([200]);
    });

    it('contains an onError callback that throws', () => {
      const own = new FakeSipTransport();
      const l = new TransactionLayer(own, {
        onError: () => {
          throw new Error('bad logger');
        },
      });
      l.onRequest(() => {
        throw new Error('handler bug');
      });
      expect(() => own.deliver(inboundRequest({ method: 'OPTIONS' }), PHONE_UDP)).not.toThrow();
      expect(l.stats.errors).toBe(1);
      l.close();
    });

    it('keeps received/rport a transport already added, without doubling them', () => {
      const requests: ServerRequest[] = [];
      layer.onRequest((r) => requests.push(r));
      transport.deliver(
        inboundRequest({
          method: 'OPTIONS',
          rport: false,
          sentBy: '10.0.0.7:5062;received=198.51.100.7;rport=40000',
        }),
        PHONE_UDP,
      );
      requests[0].respond(buildResponse(requests[0].request, 200));
      const [ok] = transport.take();
      expect(ok.parsed.message.headers.get('Via')).toBe(
        'SIP/2.0/UDP 10.0.0.7:5062;received=198.51.100.7;rport=40000;branch=z9hG4bKphone1',
      );
      expect(ok.target).toEqual(PHONE_UDP);
    });

    it('absorbs the ACK of a non-2xx from an RFC 2543 peer (no magic cookie)', () => {
      const requests: ServerRequest[] = [];
      layer.onRequest((r) => requests.push(r));
      transport.deliver(inboundRequest({ branch: null }), PHONE_UDP);
      requests[0].respond(buildResponse(requests[0].request, 486, { toTag: 'u1' }));
      transport.deliver(inboundRequest({ method: 'ACK', branch: null, toTag: 'u1' }), PHONE_UDP);
      expect(requests).toHaveLength(1);
    });
  });

  describe('sendRequest', () => {
    it('refuses an ACK, a request without Call-ID and a CSeq of another method', () => {
      const l = recordingListener();
      const ack = outboundRequest('ACK');
      expect(() => layer.sendRequest(ack, TRUNK_UDP, l)).toThrow(
        expect.objectContaining({ code: TransactionErrorCode.InvalidRequest }),
      );
      const noCallId = outboundRequest('OPTIONS');
      noCallId.headers.delete('Call-ID');
      expect(() => layer.sendRequest(noCallId, TRUNK_UDP, l)).toThrow(/Call-ID/);
      const wrongCSeq = outboundRequest('OPTIONS');
      wrongCSeq.headers.set('CSeq', '7 INVITE');
      expect(() => layer.sendRequest(wrongCSeq, TRUNK_UDP, l)).toThrow(/CSeq/);
      expect(transport.sent).toHaveLength(0);
    });

    it('leaves the caller’s request untouched and uses a new branch each time', () => {
      const request = outboundRequest('OPTIONS');
      const a = layer.sendRequest(request, TRUNK_UDP, recordingListener());
      const b = layer.sendRequest(request, TRUNK_UDP, recordingListener());
      expect(request.headers.has('Via')).toBe(false);
      expect(a.branch).not.toBe(b.branch);
      expect(a.request.headers.getAll('Via')).toEqual([
        `SIP/2.0/UDP 192.0.2.1:5060;branch=${a.branch};rport`,
      ]);
    });

    it('honours configured timers', async () => {
      layer.close();
      layer = new TransactionLayer(transport, { timers: { t1: 100, t2: 400 } });
      const listener = recordingListener();
      layer.sendRequest(outboundRequest('OPTIONS'), TRUNK_UDP, listener);
      await jest.advanceTimersByTimeAsync(6_399);
      expect(transport.sent.map((s) => s.at).slice(0, 6)).toEqual([0, 100, 300, 700, 1100, 1500]);
      await jest.advanceTimersByTimeAsync(1);
      expect(listener.events).toEqual(['timeout']);
    });

    it('rejects bad timer settings', () => {
      expect(() => new TransactionLayer(transport, { timers: { t1: 0 } })).toThrow(
        expect.objectContaining({ code: TransactionErrorCode.InvalidTimers }),
      );
      expect(() => new TransactionLayer(transport, { timers: { t1: 5000, t2: 4000 } })).toThrow(
        /T2/,
      );
    });
  });

  describe('sendStateless', () => {
    it('adds a Via with a new branch to a request without one, and keeps an existing one', async () => {
      const ack = outboundRequest('ACK');
      await layer.sendStateless(ack, TRUNK_UDP);
      const stamped = layer.addVia(ack, 'udp');
      await layer.sendStateless(stamped, TRUNK_UDP);
      await layer.sendStateless(stamped, TRUNK_UDP);
      const [first, second, third] = transport.take();
      expect(first.parsed.via[0].branch).toMatch(/^z9hG4bK/);
      expect(first.parsed.via[0].branch).not.toBe(second.parsed.via[0].branch);
      expect(second.parsed.via).toEqual(third.parsed.via);
      expect(ack.headers.has('Via')).toBe(false);
    });

    it('passes transport failures to the caller', async () => {
      transport.failNextSends(new Error('ENETUNREACH'));
      await expect(layer.sendStateless(outboundRequest('ACK'), TRUNK_UDP)).rejects.toThrow(
        'ENETUNREACH',
      );
    });
  });

  describe('close', () => {
    it('stops every timer, is idempotent and refuses further work', async () => {
      const requests: ServerRequest[] = [];
      layer.onRequest((r) => requests.push(r));
      layer.sendRequest(outboundRequest(), TRUNK_UDP, recordingListener());
      transport.deliver(inboundRequest(), PHONE_UDP);
      requests[0].respond(buildResponse(requests[0].request, 200, { toTag: 'u1' }));
      expect(jest.getTimerCount()).toBeGreaterThan(0);
      layer.close();
      layer.close();
      expect(jest.getTimerCount()).toBe(0);
      expect(layer.stats).toMatchObject({
        serverTransactions: 0,
        clientTransactions: 0,
        acceptedInvites: 0,
      });
      transport.take();
      transport.deliver(inboundRequest({ method: 'OPTIONS' }), PHONE_UDP);
      expect(requests).toHaveLength(1);
      expect(transport.sent).toHaveLength(0);
      expect(() => layer.sendRequest(outboundRequest(), TRUNK_UDP, recordingListener())).toThrow(
        expect.objectContaining({ code: TransactionErrorCode.Closed }),
      );
      await expect(layer.sendStateless(outboundRequest('ACK'), TRUNK_UDP)).rejects.toMatchObject({
        code: TransactionErrorCode.Closed,
      });
    });
  });
});
