import {
  reasonPhrase,
  scanUdpRegister,
  serverTransactionKeyOf,
  stampViaText,
  type DatagramScreen,
  type Peer,
  type RegisterScan,
  type TransactionLayer,
} from '@pbx/sip';
import type { ScreenedAnswer } from '../registrar/registrar';

/**
 * The registrar's fast path for the REGISTERs phones send over UDP every few minutes: a plain
 * REGISTER (scanUdpRegister) is read straight from the datagram and answered from the bytes,
 * without the parser, a transaction machine or a SipResponse. The answers are the full path's:
 * the same registrar decides them (registerAtOnce), the 200 is kept for retransmissions as a
 * completed transaction's would be, and whatever registerAtOnce does not answer at once goes to
 * the full path untouched. Only when the registrar's stores answer at once (in the process).
 */
export function registerScreen(
  layer: TransactionLayer,
  registerAtOnce: (scan: RegisterScan, source: Peer) => ScreenedAnswer | null,
): DatagramScreen {
  return (data: Buffer, source: Peer): boolean => {
    const scan = scanUdpRegister(data);
    if (scan === null) return false;
    const sentBy = scan.viaPort === null ? scan.viaHost : `${scan.viaHost}:${scan.viaPort}`;
    const key = serverTransactionKeyOf('REGISTER', scan.branch, sentBy);
    // RFC 3581: with rport the answer goes back to the packet's source port, else to the Via's.
    const target: Peer = {
      protocol: 'udp',
      address: source.address,
      port: scan.rport ? source.port : (scan.viaPort ?? 5060),
    };
    const seen = layer.screenedRequest(key, target);
    if (seen !== 'new') return seen === 'absorbed';
    const answer = registerAtOnce(scan, source);
    if (answer === null) return false;
    layer.answerScreened(key, answerBytes(scan, answer, source), target, answer.stateless);
    return true;
  };
}

/**
 * The response as serializeMessage writes buildResponse's (RFC 3261 8.2.6.2): the status line,
 * Via (stamped with received/rport), From, To (with the tag), Call-ID and CSeq in the request's
 * order, the answer's fields, and Content-Length.
 */
function answerBytes(scan: RegisterScan, answer: ScreenedAnswer, source: Peer): Buffer {
  let head = `SIP/2.0 ${answer.status} ${answer.reason ?? reasonPhrase(answer.status)}\r\n`;
  for (const line of scan.copied) {
    if (line.startsWith('Via: ')) {
      head += `Via: ${stampViaText(scan.via, scan.viaHost, scan.rport, source.address, source.port)}\r\n`;
    } else if (line.startsWith('To: ')) {
      head += `${line};tag=${answer.toTag}\r\n`;
    } else {
      head += `${line}\r\n`;
    }
  }
  for (const [name, value] of answer.headers) head += `${name}: ${value}\r\n`;
  head += 'Content-Length: 0\r\n\r\n';
  return Buffer.from(head, 'utf8');
}
