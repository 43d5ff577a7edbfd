import { ownString } from './own-string';

describe('ownString', () => {
  it('gives the same text back, short or long, sliced or concatenated', () => {
    const message = `REGISTER sip:example.com SIP/2.0\r\nCall-ID: ${'a'.repeat(40)}@host\r\n`;
    const callId = message.slice(message.indexOf('Call-ID: ') + 9, message.lastIndexOf('\r\n'));
    expect(ownString(callId)).toBe(`${'a'.repeat(40)}@host`);
    expect(ownString('short')).toBe('short');
    expect(ownString('')).toBe('');
    const pair = `${callId};${callId}`;
    expect(ownString(pair)).toBe(pair);
    expect(ownString('ü€😀 multi-byte text, long enough')).toBe(
      'ü€😀 multi-byte text, long enough',
    );
  });
});
