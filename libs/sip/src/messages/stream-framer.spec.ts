import { parseMessage } from './parse-message';
import { msg } from './rfc4475.fixtures';
import { SipStreamFramer } from './stream-framer';

const OPTIONS = msg(
  [
    'OPTIONS sip:carol@chicago.example.com SIP/2.0',
    'Via: SIP/2.0/TCP pc33.example.com;branch=z9hG4bKhjhs8ass877',
    'Max-Forwards: 70',
    'To: <sip:carol@chicago.example.com>',
    'From: Alice <sip:alice@example.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710',
    'CSeq: 63104 OPTIONS',
    'Content-Type: text/plain',
    'l: 5',
  ],
  'hello',
);

describe(SipStreamFramer.name, () => {
  it('emits whole messages however the stream is cut', () => {
    const stream = Buffer.concat([OPTIONS, OPTIONS, OPTIONS]);
    for (const size of [1, 2, 3, 7, 64, 1000]) {
      const framer = new SipStreamFramer();
      const frames = [];
      for (let i = 0; i < stream.length; i += size)
        frames.push(...framer.push(stream.subarray(i, i + size)));
      expect(frames.map((f) => f.kind)).toEqual(['message', 'message', 'message']);
      for (const f of frames) {
        const r =
          f.kind === 'message' ? parseMessage(f.data, { requireContentLength: true }) : null;
        expect(r?.kind === 'message' && r.message.body.toString()).toBe('hello');
      }
      expect(framer.bufferedBytes).toBe(0);
    }
  });

  it('reports RFC 5626 pings and pongs between messages', () => {
    const framer = new SipStreamFramer();
    const frames = framer.push(
      Buffer.concat([Buffer.from('\r\n\r\n'), OPTIONS, Buffer.from('\r\n')]),
    );
    expect(frames.map((f) => (f.kind === 'keep-alive' ? f.type : f.kind))).toEqual([
      'ping',
      'message',
      'pong',
    ]);
  });

  it('fails for a message without Content-Length and stays failed', () => {
    const framer = new SipStreamFramer();
    const noLength = msg(['OPTIONS sip:a@b SIP/2.0', 'Via: SIP/2.0/TCP h;branch=z9hG4bK1']);
    expect(framer.push(noLength)).toEqual([
      { kind: 'error', error: expect.objectContaining({ status: 400 }) },
    ]);
    expect(framer.push(OPTIONS)[0].kind).toBe('error');
  });

  it('bounds the buffer: a peer that never ends its headers gets 413', () => {
    const framer = new SipStreamFramer({ maxMessageBytes: 4096 });
    const frames = [];
    frames.push(...framer.push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\n')));
    for (let i = 0; i < 1000 && frames.length === 0; i++)
      frames.push(...framer.push(Buffer.from('X-Slow: loris\r\n')));
    expect(frames).toEqual([{ kind: 'error', error: expect.objectContaining({ status: 413 }) }]);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('refuses a Content-Length beyond the limit before buffering the body', () => {
    const framer = new SipStreamFramer({ maxMessageBytes: 1024 });
    const frames = framer.push(msg(['OPTIONS sip:a@b SIP/2.0', 'Content-Length: 100000']));
    expect(frames[0].kind === 'error' && frames[0].error.status).toBe(413);
  });
});
