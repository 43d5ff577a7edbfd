import { serializeMessage } from '../messages/serialize-message';
import type { SipMessage } from '../messages/sip-message';
import { ConnectionGate } from './connection-gate';
import { ConnectionTable } from './connection-table';
import { InboundPipeline, type DatagramScreen, type InboundHandler } from './inbound-pipeline';
import { connectionKey, hostForUri, stripBrackets } from './peer-address';
import type { Peer, SipTransport, TransportProtocol, ViaAddress } from './sip-transport';
import { StreamConnection, type StreamContext } from './stream-connection';
import { connectStream } from './stream-connector';
import { StreamListener } from './stream-listener';
import type { TransportConnection } from './transport-connection';
import { TransportError, TransportErrorCode } from './transport-error';
import { resolveTransportLimits, type TransportLimits } from './transport-limits';
import { NOOP_TRANSPORT_LOG, NOOP_TRANSPORT_OBSERVER } from './transport-observer';
import type { SipTransportLayerOptions } from './transport-options';
import { UdpEndpoint } from './udp-endpoint';
import { WsListener } from './ws-listener';

/** The ports actually bound, per protocol listening. */
export interface TransportPorts {
  readonly udp?: number;
  readonly tcp?: number;
  readonly tls?: number;
  readonly ws?: number;
  readonly wss?: number;
}

const PROTOCOLS: readonly TransportProtocol[] = ['udp', 'tcp', 'tls', 'ws', 'wss'];
const PORT_OPTIONS = ['udpPort', 'tcpPort', 'tlsPort', 'wsPort', 'wssPort'] as const;

/** Characters a URI user part keeps unescaped (RFC 3261 25.1: unreserved / user-unreserved). */
const USER_SAFE = /^[A-Za-z0-9\-_.!~*'()&=+$,;?/]*$/;

function escapeUser(user: string): string {
  if (USER_SAFE.test(user)) return user;
  let out = '';
  for (const ch of user) {
    if (USER_SAFE.test(ch)) out += ch;
    else
      for (const b of Buffer.from(ch, 'utf8'))
        out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function invalid(message: string): TransportError {
  return new TransportError(TransportErrorCode.InvalidOptions, message);
}

function validateOptions(options: SipTransportLayerOptions): void {
  if (typeof options.host !== 'string' || options.host.length === 0)
    throw invalid('host is required');
  let any = false;
  for (const name of PORT_OPTIONS) {
    const port = options[name];
    if (port === undefined) continue;
    any = true;
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw invalid(`${name} must be an integer from 0 to 65535`);
  }
  if (!any) throw invalid('at least one of udpPort, tcpPort, tlsPort, wsPort, wssPort is needed');
  if ((options.tlsPort !== undefined || options.wssPort !== undefined) && options.tls === undefined)
    throw invalid('tls (cert and key) is required with tlsPort or wssPort');
}

/**
 * The SIP transport layer of the edge (RFC 3261 18, RFC 3581, RFC 7118): UDP, TCP, TLS, WS and
 * WSS listeners behind one SipTransport. Received messages are parsed, their top Via stamped, and
 * handed to the one handler; broken requests are answered or dropped here. Streams are bounded
 * by TransportLimits so that no peer can exhaust the edge.
 */
export class SipTransportLayer implements SipTransport {
  private readonly limits: TransportLimits;
  private readonly pipeline: InboundPipeline;
  private readonly table: ConnectionTable;
  private readonly gate: ConnectionGate;
  private readonly context: StreamContext;
  private readonly advertisedHost: string;
  private readonly aborter = new AbortController();
  private readonly connecting = new Map<string, Promise<TransportConnection>>();
  private udp: UdpEndpoint | null = null;
  private tcp: StreamListener | null = null;
  private tls: StreamListener | null = null;
  private ws: WsListener | null = null;
  private wss: WsListener | null = null;
  private closing: Promise<void> | null = null;

  private constructor(private readonly options: SipTransportLayerOptions) {
    this.limits = resolveTransportLimits(options.limits);
    const log = options.log ?? NOOP_TRANSPORT_LOG;
    const observer = options.observer ?? NOOP_TRANSPORT_OBSERVER;
    this.pipeline = new InboundPipeline(this.limits, observer, log);
    this.table = new ConnectionTable(this.limits, log);
    this.gate = new ConnectionGate(this.limits, observer, log);
    this.context = {
      pipeline: this.pipeline,
      limits: this.limits,
      log,
      onClosed: (connection) => this.table.remove(connection),
    };
    const host = stripBrackets(options.host);
    // A wildcard bind has no address to advertise; loopback keeps a development setup working.
    this.advertisedHost =
      options.publicHost ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
  }

  /** Binds every protocol whose port is given; on any failure closes what was bound and throws. */
  static async start(options: SipTransportLayerOptions): Promise<SipTransportLayer> {
    validateOptions(options);
    const layer = new SipTransportLayer(options);
    try {
      await layer.bind();
    } catch (err) {
      await layer.close();
      if (err instanceof TransportError) throw err;
      throw new TransportError(
        TransportErrorCode.BindFailed,
        `SIP transport could not bind: ${err instanceof Error ? err.message : String(err)}`,
        { host: options.host },
        { cause: err },
      );
    }
    layer.table.startSweeping();
    return layer;
  }

  private async bind(): Promise<void> {
    const o = this.options;
    const host = stripBrackets(o.host);
    const observer = o.observer ?? NOOP_TRANSPORT_OBSERVER;
    const deps = { gate: this.gate, table: this.table, context: this.context, observer };
    if (o.udpPort !== undefined)
      this.udp = await UdpEndpoint.bind(host, o.udpPort, this.pipeline, this.context.log);
    if (o.tcpPort !== undefined)
      this.tcp = await StreamListener.start('tcp', host, o.tcpPort, deps);
    if (o.tlsPort !== undefined)
      this.tls = await StreamListener.start('tls', host, o.tlsPort, deps, o.tls);
    if (o.wsPort !== undefined) this.ws = await WsListener.start('ws', host, o.wsPort, deps);
    if (o.wssPort !== undefined)
      this.wss = await WsListener.start('wss', host, o.wssPort, deps, o.tls);
  }

  /** The one handler of received messages; a later call replaces it. */
  onMessage(handler: InboundHandler): void {
    this.pipeline.setHandler(handler);
  }

  /** See DatagramScreen: a look at each UDP datagram before it is parsed. */
  setDatagramScreen(screen: DatagramScreen | null): void {
    this.pipeline.setDatagramScreen(screen);
  }

  send(message: SipMessage, target: Peer): Promise<void> {
    return this.sendSerialized(serializeMessage(message), target);
  }

  sendSerialized(data: Buffer, target: Peer): Promise<void> {
    if (this.closing !== null)
      return Promise.reject(new TransportError(TransportErrorCode.Closed, 'transport is closed'));
    const address = stripBrackets(target.address);
    if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) {
      return Promise.reject(
        new TransportError(TransportErrorCode.SendFailed, `bad target port ${target.port}`, {
          address,
          port: target.port,
        }),
      );
    }
    if (target.protocol === 'udp') {
      if (this.udp === null) return Promise.reject(this.notListening('udp'));
      return this.udp.send(data, target.port, address);
    }
    const open = this.openConnection(target.protocol, address, target.port, target.connectionId);
    if (open !== undefined) return open.write(data);
    if (target.protocol === 'ws' || target.protocol === 'wss') {
      // RFC 7118 5: a server cannot open a WebSocket to a browser; it must still be connected.
      return Promise.reject(
        new TransportError(
          TransportErrorCode.NoConnection,
          `no open ${target.protocol} connection to ${address}:${target.port}`,
          { address, port: target.port, connectionId: target.connectionId },
        ),
      );
    }
    return this.connectAndWrite(target.protocol, address, target.port, data);
  }

  via(protocol: TransportProtocol): ViaAddress {
    return {
      transport: protocol.toUpperCase(),
      sentBy: `${hostForUri(this.advertisedHost)}:${this.requirePort(protocol)}`,
    };
  }

  /** `user` is given unescaped; characters a URI user part may not hold are %-escaped. */
  contactUri(protocol: TransportProtocol, user?: string): string {
    const port = this.requirePort(protocol);
    const userPart = user === undefined || user.length === 0 ? '' : `${escapeUser(user)}@`;
    // RFC 7118 5.2 uses transport=ws for both WS and WSS.
    const param =
      protocol === 'udp'
        ? ''
        : `;transport=${protocol === 'ws' || protocol === 'wss' ? 'ws' : protocol}`;
    return `sip:${userPart}${hostForUri(this.advertisedHost)}:${port}${param}`;
  }

  isReliable(protocol: TransportProtocol): boolean {
    return protocol !== 'udp';
  }

  ports(): TransportPorts {
    const out: { -readonly [K in keyof TransportPorts]: number } = {};
    for (const protocol of PROTOCOLS) {
      const endpoint = this.endpoint(protocol);
      if (endpoint !== null) out[protocol] = endpoint.port;
    }
    return out;
  }

  /** Stream connections open now (accepted and opened), for metrics and tests. */
  get openConnections(): number {
    return this.table.size;
  }

  /** Closes every listener and connection; idempotent, and later sends reject. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.aborter.abort();
    const closing: Promise<void>[] = [];
    for (const listener of [this.tcp, this.tls, this.ws, this.wss])
      if (listener !== null) closing.push(listener.close());
    if (this.udp !== null) closing.push(this.udp.close());
    this.table.destroyAll('transport closing');
    this.gate.close();
    await Promise.all(closing);
  }

  private openConnection(
    protocol: TransportProtocol,
    address: string,
    port: number,
    connectionId: number | undefined,
  ): TransportConnection | undefined {
    if (connectionId !== undefined) {
      const byId = this.table.get(connectionId);
      if (byId !== undefined && byId.protocol === protocol && !byId.closed) return byId;
    }
    const byKey = this.table.find(connectionKey(protocol, address, port));
    return byKey !== undefined && !byKey.closed ? byKey : undefined;
  }

  private async connectAndWrite(
    protocol: 'tcp' | 'tls',
    address: string,
    port: number,
    data: Buffer,
  ): Promise<void> {
    const key = connectionKey(protocol, address, port);
    let pending = this.connecting.get(key);
    if (pending === undefined) {
      // Concurrent sends to one peer share one connection attempt.
      pending = this.connect(protocol, address, port).finally(() => this.connecting.delete(key));
      this.connecting.set(key, pending);
    }
    const connection = await pending;
    return connection.write(data);
  }

  private async connect(
    protocol: 'tcp' | 'tls',
    address: string,
    port: number,
  ): Promise<TransportConnection> {
    if (!this.gate.canOpenOutbound()) throw this.tooMany();
    const socket = await connectStream(
      protocol,
      address,
      port,
      this.limits.connectTimeoutMs,
      this.options.tlsClient,
      this.aborter.signal,
    );
    if (this.closing !== null) {
      socket.destroy();
      throw new TransportError(TransportErrorCode.Closed, 'transport is closed');
    }
    if (!this.gate.admitOutbound(socket, protocol)) throw this.tooMany();
    const connection = new StreamConnection(
      this.table.allocateId(),
      protocol,
      socket,
      address,
      port,
      false,
      this.context,
    );
    this.table.add(connection);
    return connection;
  }

  private tooMany(): TransportError {
    return new TransportError(
      TransportErrorCode.TooManyConnections,
      `maxConnections (${this.limits.maxConnections}) reached`,
    );
  }

  private requirePort(protocol: TransportProtocol): number {
    const endpoint = this.endpoint(protocol);
    if (endpoint === null) throw this.notListening(protocol);
    return endpoint.port;
  }

  private endpoint(protocol: TransportProtocol): { readonly port: number } | null {
    switch (protocol) {
      case 'udp':
        return this.udp;
      case 'tcp':
        return this.tcp;
      case 'tls':
        return this.tls;
      case 'ws':
        return this.ws;
      case 'wss':
        return this.wss;
    }
  }

  private notListening(protocol: TransportProtocol): TransportError {
    return new TransportError(
      TransportErrorCode.NotListening,
      `the SIP transport does not listen on ${protocol}`,
      { protocol },
    );
  }
}
