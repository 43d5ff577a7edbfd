import { buildRequest } from '../messages/build-request';
import { buildResponse } from '../messages/build-response';
import { parseMessage, type ParsedMessage } from '../messages/parse-message';
import { serializeMessage } from '../messages/serialize-message';
import { SipHeaders, type SipMessage, type SipRequest } from '../messages/sip-message';
import { inboundRequest } from '../transactions/testing/fixtures';
import { Dialog } from './dialog';
import { DialogErrorCode } from './dialog.error';

function parse(m: SipMessage | string): ParsedMessage {
  const r = parseMessage(typeof m === 'string' ? Buffer.from(m) : serializeMessage(m));
  if (r.kind !== 'message') throw new Error('fixture does not parse');
  return r;
}

function invite(requestUri = 'sip:300@203.0.113.5', cseq = 7): SipRequest {
  return buildRequest({
    method: 'INVITE',
    requestUri,
    from: { uri: 'sip:pbx@192.0.2.1', displayName: 'PBX', tag: 'ourtag' },
    to: { uri: 'sip:300@203.0.113.5' },
    callId: 'call-9',
    cseq,
    contact: 'sip:pbx@192.0.2.1',
  });
}

function answerOf(
  request: SipRequest,
  status: number,
  headers: [string, string][] = [['Contact', '<sip:300@203.0.113.9:5070;transport=udp>']],
): ParsedMessage {
  return parse(buildResponse(sentForm(request), status, { toTag: 'theirs', headers }));
}

/** The request as the transaction layer sends it: with a Via on top. */
function sentForm(request: SipRequest): SipRequest {
  const headers = new SipHeaders([...request.headers.fields]);
  headers.fields.unshift({
    name: 'Via',
    key: 'via',
    value: 'SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKx',
  });
  return { ...request, headers };
}

describe(Dialog.name, () => {
  describe('asUac (RFC 3261 12.1.2)', () => {
    const request = invite();
    const response = answerOf(request, 200, [
      ['Record-Route', '<sip:p1.example;lr>, <sip:p2.example;lr;ftag=x>'],
      ['Contact', '"Bob" <sip:300@203.0.113.9:5070;transport=udp>;expires=60'],
    ]);

    it('takes the dialog state from the INVITE and its 2xx', () => {
      const d = Dialog.asUac(request, response);
      expect(d).toMatchObject({
        callId: 'call-9',
        localTag: 'ourtag',
        remoteTag: 'theirs',
        localUri: 'sip:pbx@192.0.2.1',
        remoteUri: 'sip:300@203.0.113.5',
        localSeq: 7,
        remoteSeq: null,
        remoteTarget: 'sip:300@203.0.113.9:5070;transport=udp',
        routeSet: ['sip:p2.example;lr;ftag=x', 'sip:p1.example;lr'],
        secure: false,
      });
      expect(d.id).toBe('call-9;ourtag;theirs');
    });

    it('builds in-dialog requests with loose routing, ++CSeq, tags and no Via (12.2.1.1)', () => {
      const d = Dialog.asUac(request, response);
      const { request: bye, targetUri } = d.createRequest('BYE', {
        headers: [['Reason', 'Q.850;cause=16']],
      });
      const p = parse(sentForm(bye));
      expect(bye.requestUri).toBe('sip:300@203.0.113.9:5070;transport=udp');
      expect(bye.headers.getAll('Route')).toEqual([
        '<sip:p2.example;lr;ftag=x>',
        '<sip:p1.example;lr>',
      ]);
      expect(bye.headers.has('Via')).toBe(false);
      expect(bye.headers.get('Max-Forwards')).toBe('70');
      expect(p.cseq).toEqual({ seq: 8, method: 'BYE' });
      expect(p.callId).toBe('call-9');
      expect(p.from.params).toContainEqual({ name: 'tag', value: 'ourtag' });
      expect(p.to.params).toContainEqual({ name: 'tag', value: 'theirs' });
      expect(bye.headers.get('Reason')).toBe('Q.850;cause=16');
      expect(targetUri).toBe('sip:p2.example;lr;ftag=x');
      expect(
        d
          .createRequest('INFO', { body: Buffer.from('x'), contentType: 'text/plain' })
          .request.headers.get('CSeq'),
      ).toBe('9 INFO');
      expect(d.localSeq).toBe(9);
    });

    it('builds the ACK for a 2xx with the INVITE CSeq number and without a Via', () => {
      const d = Dialog.asUac(request, response);
      const ack = d.createAck(7, { body: Buffer.from('v=0\r\n') });
      const p = parse(sentForm(ack));
      expect(p.cseq).toEqual({ seq: 7, method: 'ACK' });
      expect(ack.requestUri).toBe(d.remoteTarget);
      expect(ack.headers.getAll('Route')).toHaveLength(2);
      expect(ack.headers.has('Via')).toBe(false);
      expect(ack.headers.get('Content-Type')).toBe('application/sdp');
      expect(d.localSeq).toBe(7);
    });

    it('uses strict routing when the first route has no lr (12.2.1.1)', () => {
      const r = answerOf(request, 200, [
        ['Record-Route', '<sip:p1.example;lr>, <sip:strict.example;maddr=10.1.1.1>'],
        ['Contact', '<sip:300@203.0.113.9>'],
      ]);
      const { request: bye, targetUri } = Dialog.asUac(request, r).createRequest('BYE');
      expect(bye.requestUri).toBe('sip:strict.example;maddr=10.1.1.1');
      expect(bye.headers.getAll('Route')).toEqual(['<sip:p1.example;lr>', '<sip:300@203.0.113.9>']);
      expect(targetUri).toBe('sip:strict.example;maddr=10.1.1.1');
    });

    it('sends straight to the remote target without a route set', () => {
      const d = Dialog.asUac(request, answerOf(request, 183));
      const { request: update, targetUri } = d.createRequest('UPDATE');
      expect(update.headers.has('Route')).toBe(false);
      expect(targetUri).toBe('sip:300@203.0.113.9:5070;transport=udp');
    });

    it('marks a sips: dialog secure', () => {
      const sips = invite('sips:300@203.0.113.5');
      expect(Dialog.asUac(sips, answerOf(sips, 200)).secure).toBe(true);
    });

    it('refuses responses that cannot create a dialog', () => {
      const code = (f: () => unknown): unknown => {
        try {
          f();
        } catch (e) {
          return (e as { code?: unknown }).code;
        }
        return undefined;
      };
      expect(code(() => Dialog.asUac(request, answerOf(request, 100)))).toBe(
        DialogErrorCode.InvalidDialogMessage,
      );
      expect(code(() => Dialog.asUac(request, answerOf(request, 486)))).toBe(
        DialogErrorCode.InvalidDialogMessage,
      );
      expect(code(() => Dialog.asUac(request, answerOf(request, 200, [])))).toBe(
        DialogErrorCode.InvalidDialogMessage,
      );
      const untagged = parse(
        buildResponse(sentForm(request), 200, { headers: [['Contact', '<sip:a@b>']] }),
      );
      untagged.message.headers.set('To', '<sip:300@203.0.113.5>');
      expect(code(() => Dialog.asUac(request, parse(untagged.message)))).toBe(
        DialogErrorCode.InvalidDialogMessage,
      );
    });

    it('refuses ACK/CANCEL through createRequest and header injection', () => {
      const d = Dialog.asUac(request, response);
      expect(() => d.createRequest('ACK')).toThrow(
        expect.objectContaining({ code: DialogErrorCode.InvalidRequest }),
      );
      expect(() => d.createRequest('CANCEL')).toThrow(
        expect.objectContaining({ code: DialogErrorCode.InvalidRequest }),
      );
      expect(() => d.createRequest('INFO', { headers: [['X-A', 'a\r\nVia: evil']] })).toThrow(
        expect.objectContaining({ code: DialogErrorCode.InvalidRequest }),
      );
      expect(() => d.createRequest('INFO', { body: Buffer.from('x') })).toThrow(/Content-Type/);
      expect(d.localSeq).toBe(9);
    });

    it('refuses to pass the largest CSeq (8.1.1.5)', () => {
      const last = invite('sip:300@203.0.113.5', 2 ** 31 - 1);
      const d = Dialog.asUac(last, answerOf(last, 200));
      expect(() => d.createRequest('BYE')).toThrow(
        expect.objectContaining({ code: DialogErrorCode.CSeqExhausted }),
      );
    });
  });

  describe('asUas (RFC 3261 12.1.1)', () => {
    const parsed = parse(
      inboundRequest({
        cseq: 5,
        headers: ['Record-Route: <sip:p1.example;lr>', 'Record-Route: <sip:p2.example;lr>'],
      }),
    );

    it('takes the dialog state from the INVITE and our tag', () => {
      const d = Dialog.asUas(parsed, 'mine');
      expect(d).toMatchObject({
        callId: 'call-1@10.0.0.7',
        localTag: 'mine',
        remoteTag: 'ft1',
        localUri: 'sip:200@pbx.example',
        remoteUri: 'sip:100@pbx.example',
        localSeq: 0,
        remoteSeq: 5,
        remoteTarget: 'sip:100@10.0.0.7:5062',
        routeSet: ['sip:p1.example;lr', 'sip:p2.example;lr'],
      });
      const { request: bye } = d.createRequest('BYE');
      const p = parse(sentForm(bye));
      expect(p.cseq).toEqual({ seq: 1, method: 'BYE' });
      expect(bye.headers.get('From')).toBe('<sip:200@pbx.example>;tag=mine');
      expect(bye.headers.get('To')).toBe('"Alice" <sip:100@pbx.example>;tag=ft1');
      expect(bye.headers.getAll('Route')).toEqual(['<sip:p1.example;lr>', '<sip:p2.example;lr>']);
    });

    it('rejects a remote CSeq lower than the last one (12.2.2)', () => {
      const d = Dialog.asUas(parsed, 'mine');
      expect(d.acceptRemoteCSeq(4)).toBe(false);
      expect(d.acceptRemoteCSeq(5)).toBe(true);
      expect(d.acceptRemoteCSeq(6)).toBe(true);
      expect(d.acceptRemoteCSeq(5)).toBe(false);
      expect(d.remoteSeq).toBe(6);
    });

    it('takes a new remote target on a target refresh', () => {
      const d = Dialog.asUas(parsed, 'mine');
      d.updateRemoteTarget('"A" <sip:100@10.0.0.99:5080;transport=tcp>;expires=30');
      expect(d.remoteTarget).toBe('sip:100@10.0.0.99:5080;transport=tcp');
      d.updateRemoteTarget('sip:100@10.0.0.98;expires=30');
      expect(d.remoteTarget).toBe('sip:100@10.0.0.98');
      expect(() => d.updateRemoteTarget('<sip:broken')).toThrow(
        expect.objectContaining({ code: DialogErrorCode.InvalidDialogMessage }),
      );
      expect(() => d.updateRemoteTarget('*')).toThrow();
    });

    it('accepts an RFC 2543 peer without a From tag, and refuses an in-dialog INVITE', () => {
      const untagged = parse(inboundRequest().replace(';tag=ft1', ''));
      const d = Dialog.asUas(untagged, 'mine');
      expect(d.remoteTag).toBe('');
      expect(d.createRequest('BYE').request.headers.get('To')).toBe(
        '"Alice" <sip:100@pbx.example>',
      );
      expect(() => Dialog.asUas(parse(inboundRequest({ toTag: 'x' })), 'mine')).toThrow(
        expect.objectContaining({ code: DialogErrorCode.InvalidDialogMessage }),
      );
      expect(() => Dialog.asUas(parsed, 'bad tag')).toThrow(
        expect.objectContaining({ code: DialogErrorCode.InvalidRequest }),
      );
    });
  });
});
