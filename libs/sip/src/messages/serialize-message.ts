import type { SipMessage } from './sip-message';

/**
 * Serializes a message with canonical header names, one field per line, and Content-Length set
 * from the body (replacing any Content-Length field in place, or appended last), so that
 * parseMessage(serializeMessage(m)) equals m whenever m's Content-Length already matched.
 */
export function serializeMessage(message: SipMessage): Buffer {
  let head =
    message.kind === 'request'
      ? `${message.method} ${message.requestUri} ${message.version}\r\n`
      : `${message.version} ${message.status} ${message.reason}\r\n`;
  let wroteLength = false;
  const fields = message.headers.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f.key === 'content-length') {
      if (!wroteLength) head += `Content-Length: ${message.body.length}\r\n`;
      wroteLength = true;
    } else {
      head += `${f.name}: ${f.value}\r\n`;
    }
  }
  if (!wroteLength) head += `Content-Length: ${message.body.length}\r\n`;
  head += '\r\n';
  const headLength = Buffer.byteLength(head);
  const out = Buffer.allocUnsafe(headLength + message.body.length);
  out.write(head, 0, 'utf8');
  message.body.copy(out, headLength);
  return out;
}
