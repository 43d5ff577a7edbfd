import type { MessageParseError } from '../messages/message-parse-error';
import { parseMessage, type ParseOptions } from '../messages/parse-message';
import { serializeMessage } from '../messages/serialize-message';
import { buildSalvagedResponse, salvageRequestHeaders } from './salvage-request';
import type { InboundMessage, Peer } from './sip-transport';
import type { TransportLimits } from './transport-limits';
import type { TransportLog, TransportObserver } from './transport-observer';
import { stampTopVia } from './via-stamp';

export type InboundHandler = (inbound: InboundMessage) => void;

/**
 * Looks at a UDP datagram (within the size limit) before it is parsed: true when it took the datagram (answered it, or
 * will), false to leave it to the parser and the handler. A fast path for a plain, frequent
 * request (the registrar's REGISTER); it must take only what it answers as the handler would.
 */
export type DatagramScreen = (data: Buffer, source: Peer) => boolean;

/**
 * What every transport does with one received message (a datagram, a stream frame or a WebSocket
 * message): parse, stamp the top Via of requests (RFC 3261 18.2.1, RFC 3581 4), hand it to the
 * transaction layer, or answer a broken request statelessly. Socket-free, so each transport writes
 * the returned answer on its own channel.
 */
export class InboundPipeline {
  private handler: InboundHandler | null = null;
  private datagramScreen: DatagramScreen | null = null;
  /** A screen that threw is reported once. */
  private screenFailed = false;
  private readonly datagramOptions: ParseOptions;
  private readonly streamOptions: ParseOptions;

  constructor(
    limits: TransportLimits,
    private readonly observer: TransportObserver,
    private readonly log: TransportLog,
  ) {
    this.datagramOptions = { maxMessageBytes: limits.maxMessageBytes };
    // RFC 3261 18.3: Content-Length is mandatory on streams (the framer already relied on it).
    this.streamOptions = { maxMessageBytes: limits.maxMessageBytes, requireContentLength: true };
  }

  setHandler(handler: InboundHandler): void {
    this.handler = handler;
  }

  /** The screen of UDP datagrams, replacing any earlier one; null removes it. */
  setDatagramScreen(screen: DatagramScreen | null): void {
    this.datagramScreen = screen;
  }

  /**
   * Processes one whole message. `framed` is true for stream frames, which must carry
   * Content-Length; datagrams and WebSocket messages need not (RFC 7118 section 5: one SIP message
   * per WebSocket message). Returns an answer to write back to the source, or null.
   * Keep-alives return null: each transport decides whether they need a pong.
   */
  process(data: Buffer, source: Peer, framed: boolean): Buffer | null {
    if (
      this.datagramScreen !== null &&
      source.protocol === 'udp' &&
      // Too large a datagram gets its 513 from the parser.
      data.length <= (this.datagramOptions.maxMessageBytes ?? Infinity) &&
      this.screened(data, source)
    ) {
      this.observer.received(source.protocol);
      return null;
    }
    const r = parseMessage(data, framed ? this.streamOptions : this.datagramOptions);
    if (r.kind === 'keep-alive') return null;
    if (r.kind === 'error') return this.reject(data, r.error, source);
    if (r.message.kind === 'request') stampTopVia(r, source.address, source.port);
    this.observer.received(source.protocol);
    const handler = this.handler;
    if (handler === null) return null;
    try {
      handler({ parsed: r, source, receivedAt: performance.now() });
    } catch (err) {
      this.log.warn(
        { err, protocol: source.protocol, address: source.address, callId: r.callId },
        'SIP message handler threw',
      );
    }
    return null;
  }

  private screened(data: Buffer, source: Peer): boolean {
    try {
      return (this.datagramScreen as DatagramScreen)(data, source);
    } catch (err) {
      // A broken screen costs the datagram its shortcut, not its answer.
      if (!this.screenFailed) this.log.warn({ err }, 'SIP datagram screen threw');
      this.screenFailed = true;
      return false;
    }
  }

  /**
   * A message that cannot be used: answered with the parse error's status when enough of the
   * request survives to address an answer (`data` null when the bytes are gone), else dropped.
   */
  reject(data: Buffer | null, error: MessageParseError, source: Peer): Buffer | null {
    const salvaged = data === null ? null : salvageRequestHeaders(data);
    this.observer.malformed(source.protocol, salvaged === null ? undefined : error.status);
    this.log.debug(
      {
        protocol: source.protocol,
        address: source.address,
        port: source.port,
        code: error.code,
        answered: salvaged !== null,
      },
      `malformed SIP message: ${error.reason}`,
    );
    if (salvaged === null) return null;
    return serializeMessage(buildSalvagedResponse(salvaged, error.status, error.reason));
  }
}
