/** Builders for the transport tests: small SIP messages with CRLF line ends. */
export interface RequestFixture {
  readonly method?: string;
  readonly via?: string;
  readonly callId?: string;
  readonly extraHeaders?: readonly string[];
  readonly body?: string;
  /** Leave Content-Length out (allowed on datagrams, RFC 3261 18.3). */
  readonly noContentLength?: boolean;
}

export function sipRequest(fixture: RequestFixture = {}): Buffer {
  const method = fixture.method ?? 'OPTIONS';
  const body = fixture.body ?? '';
  const lines = [
    `${method} sip:edge@example.com SIP/2.0`,
    `Via: ${fixture.via ?? 'SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK776asdhds;rport'}`,
    'Max-Forwards: 70',
    'To: <sip:edge@example.com>',
    'From: Alice <sip:alice@example.com>;tag=1928301774',
    `Call-ID: ${fixture.callId ?? 'a84b4c76e66710@pc33'}`,
    `CSeq: 314159 ${method}`,
    ...(fixture.extraHeaders ?? []),
  ];
  if (fixture.noContentLength !== true) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'utf8');
}
