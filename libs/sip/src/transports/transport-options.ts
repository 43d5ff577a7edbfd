import type { TransportLimits } from './transport-limits';
import type { TransportLog, TransportObserver } from './transport-observer';

/** Certificate and key (PEM) for the TLS and WSS listeners. */
export interface TlsCredentials {
  readonly cert: Buffer | string;
  readonly key: Buffer | string;
}

/** How outbound TLS connections (to carriers) verify the server (RFC 3261 26.3.1, RFC 5922). */
export interface TlsClientOptions {
  /** Refuse a certificate that does not verify; default true. */
  readonly rejectUnauthorized?: boolean;
  /** Trusted CAs instead of Node's bundled roots. */
  readonly ca?: Buffer | string | (Buffer | string)[];
}

export interface SipTransportLayerOptions {
  /** Address to bind ("0.0.0.0", "::", or one address). */
  readonly host: string;
  /** Host written in Via sent-by and Contact, when the bound address is not what peers reach. */
  readonly publicHost?: string;
  /** Each protocol listens only when its port is given; 0 picks an ephemeral port. */
  readonly udpPort?: number;
  readonly tcpPort?: number;
  readonly tlsPort?: number;
  readonly wsPort?: number;
  readonly wssPort?: number;
  /** Required when tlsPort or wssPort is given. */
  readonly tls?: TlsCredentials;
  readonly tlsClient?: TlsClientOptions;
  readonly limits?: Partial<TransportLimits>;
  readonly log?: TransportLog;
  readonly observer?: TransportObserver;
}
