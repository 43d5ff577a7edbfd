import { parseMessage, type ParsedMessage } from '../../messages/parse-message';
import { serializeMessage } from '../../messages/serialize-message';
import type { SipMessage } from '../../messages/sip-message';
import type {
  InboundMessage,
  Peer,
  SipTransport,
  TransportProtocol,
  ViaAddress,
} from '../../transports/sip-transport';

export interface SentMessage {
  /** What went on the wire, parsed back (so tests see exactly the serialized bytes). */
  readonly parsed: ParsedMessage;
  readonly target: Peer;
  /** Date.now() when sent (fake timers move it). */
  readonly at: number;
}

/** The address our fake transport writes in Via and Contact. */
export const FAKE_LOCAL_HOST = '192.0.2.1';
export const FAKE_LOCAL_PORT = 5060;

function parse(bytes: Buffer): ParsedMessage {
  const r = parseMessage(bytes);
  if (r.kind !== 'message') throw new Error(`unparseable message: ${JSON.stringify(r)}`);
  return r;
}

/**
 * An in-memory SipTransport for unit tests: records what is sent (serialized and parsed back),
 * delivers messages as if received, and can fail the next sends. UDP is unreliable, the stream
 * transports reliable.
 */
export class FakeSipTransport implements SipTransport {
  readonly sent: SentMessage[] = [];
  readonly #handlers: ((inbound: InboundMessage) => void)[] = [];
  readonly #failures: Error[] = [];

  onMessage(handler: (inbound: InboundMessage) => void): void {
    this.#handlers.push(handler);
  }

  send(message: SipMessage, target: Peer): Promise<void> {
    return this.sendSerialized(serializeMessage(message), target);
  }

  sendSerialized(data: Buffer, target: Peer): Promise<void> {
    const failure = this.#failures.shift();
    if (failure !== undefined) return Promise.reject(failure);
    this.sent.push({ parsed: parse(data), target, at: Date.now() });
    return Promise.resolve();
  }

  via(protocol: TransportProtocol): ViaAddress {
    return { transport: protocol.toUpperCase(), sentBy: `${FAKE_LOCAL_HOST}:${FAKE_LOCAL_PORT}` };
  }

  contactUri(protocol: TransportProtocol, user?: string): string {
    const u = user === undefined ? '' : `${user}@`;
    return `sip:${u}${FAKE_LOCAL_HOST}:${FAKE_LOCAL_PORT};transport=${protocol}`;
  }

  isReliable(protocol: TransportProtocol): boolean {
    return protocol !== 'udp';
  }

  /** The next `count` sends reject with `error`. */
  failNextSends(error: Error, count = 1): void {
    for (let i = 0; i < count; i++) this.#failures.push(error);
  }

  /** Delivers a message (object or wire text) from `source`; returns it parsed. */
  deliver(message: SipMessage | string, source: Peer): ParsedMessage {
    const bytes = typeof message === 'string' ? Buffer.from(message) : serializeMessage(message);
    const parsed = parse(bytes);
    for (const h of this.#handlers) h({ parsed, source, receivedAt: 0 });
    return parsed;
  }

  /** Removes and returns everything sent so far. */
  take(): SentMessage[] {
    return this.sent.splice(0, this.sent.length);
  }
}
