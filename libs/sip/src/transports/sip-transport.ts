import type { ParsedMessage } from '../messages/parse-message';
import type { SipMessage } from '../messages/sip-message';

/** RFC 3261 18 transports plus SIP over WebSocket (RFC 7118). */
export type TransportProtocol = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

/** The other end of a message: where it came from, or where to send it. */
export interface Peer {
  readonly protocol: TransportProtocol;
  readonly address: string;
  readonly port: number;
  /**
   * The stream connection a message arrived on (TCP, TLS, WS, WSS). Responses and in-dialog
   * requests go back on it while it is open (RFC 3261 18.2.2, RFC 5626 / RFC 7118 section 5).
   */
  readonly connectionId?: number;
}

export interface InboundMessage {
  readonly parsed: ParsedMessage;
  readonly source: Peer;
  /** performance.now() when the message was read. */
  readonly receivedAt: number;
}

/** What our Via for a protocol carries: `SIP/2.0/<transport> <sentBy>`. */
export interface ViaAddress {
  /** `UDP`, `TCP`, `TLS`, `WS`, `WSS`. */
  readonly transport: string;
  /** host:port to write as sent-by. */
  readonly sentBy: string;
}

/** The transport layer as the transaction layer sees it. */
export interface SipTransport {
  /** Every well-formed message received; malformed ones are answered or dropped below this. */
  onMessage(handler: (inbound: InboundMessage) => void): void;
  /**
   * Sends a message. Streams use `connectionId` when that connection is open, else any open
   * connection to address:port, else connect (TCP/TLS only; a WS peer must be connected).
   * Rejects when the message cannot be sent.
   */
  send(message: SipMessage, target: Peer): Promise<void>;
  /** Sends bytes already serialized (a response kept for retransmissions), as send() does. */
  sendSerialized(data: Buffer, target: Peer): Promise<void>;
  via(protocol: TransportProtocol): ViaAddress;
  /** A SIP URI reaching this edge over that protocol, for Contact and Record-Route. */
  contactUri(protocol: TransportProtocol, user?: string): string;
  isReliable(protocol: TransportProtocol): boolean;
}
