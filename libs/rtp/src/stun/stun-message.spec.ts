import { Message, classes, methods, parseMessage } from 'werift';
import {
  buildStunBindingSuccess,
  hasValidIntegrity,
  isStunPacket,
  parseStunBindingRequest,
} from './stun-message';

/** A connectivity check as a browser sends it, built by werift's independent STUN code. */
function check(options: {
  password: string;
  useCandidate?: boolean;
  fingerprint?: boolean;
}): Buffer {
  const message = new Message(methods.BINDING, classes.REQUEST);
  message.setAttribute('USERNAME', 'pbxu:brwz');
  message.setAttribute('PRIORITY', 1853817087);
  message.setAttribute('ICE-CONTROLLING', BigInt(42));
  if (options.useCandidate === true) message.setAttribute('USE-CANDIDATE', null);
  message.addMessageIntegrity(Buffer.from(options.password));
  if (options.fingerprint !== false) message.addFingerprint();
  return message.bytes;
}

describe('STUN for ICE-lite', () => {
  it('reads a connectivity check and checks its short-term credential', () => {
    const packet = check({ password: 'secret-of-the-platform', useCandidate: true });
    expect(isStunPacket(packet)).toBe(true);
    const request = parseStunBindingRequest(packet);
    expect(request).toMatchObject({
      username: 'pbxu:brwz',
      priority: 1853817087,
      useCandidate: true,
      role: 'controlling',
    });
    expect(hasValidIntegrity(packet, request!, 'secret-of-the-platform')).toBe(true);
    expect(hasValidIntegrity(packet, request!, 'another-password')).toBe(false);
  });

  it('refuses a check whose FINGERPRINT does not match', () => {
    const packet = check({ password: 'pw' });
    packet[packet.length - 1] ^= 0xff;
    expect(parseStunBindingRequest(packet)).toBeNull();
  });

  it.each([
    ['an RTP packet', Buffer.from('80000001000000000000000000000000000000000000', 'hex')],
    ['a truncated check', check({ password: 'pw' }).subarray(0, 30)],
  ])('does not take %s for a Binding request', (_name, packet) => {
    expect(parseStunBindingRequest(packet)).toBeNull();
  });

  it.each([
    ['IPv4', '203.0.113.7', 50123],
    ['IPv6', '2001:db8::7', 443],
  ])('answers with the %s source address that werift reads back', (_name, address, port) => {
    const request = parseStunBindingRequest(check({ password: 'pw' }))!;
    const response = buildStunBindingSuccess(request.transactionId, address, port, 'pw');
    const parsed = parseMessage(response, Buffer.from('pw'));
    expect(parsed).toBeDefined();
    expect(parsed!.messageClass).toBe(classes.RESPONSE);
    expect(parsed!.transactionId.equals(request.transactionId)).toBe(true);
    const [mappedAddress, mappedPort] = parsed!.getAttributeValue('XOR-MAPPED-ADDRESS') as [
      string,
      number,
    ];
    expect(mappedPort).toBe(port);
    expect(mappedAddress).toBe(address);
  });
});
