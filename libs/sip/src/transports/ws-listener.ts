import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import { normalizeAddress } from './peer-address';
import { closeServer, listen, type StreamListenerDeps } from './stream-listener';
import type { TlsCredentials } from './transport-options';
import type { TransportObserver } from './transport-observer';
import { WsConnection } from './ws-connection';

/** RFC 7118 4.1: the WebSocket subprotocol a SIP client must ask for. */
export const SIP_SUBPROTOCOL = 'sip';

const REFUSE_BODY = 'the "sip" WebSocket subprotocol is required (RFC 7118)';
const REFUSE_NO_SIP =
  'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain\r\n' +
  `Content-Length: ${Buffer.byteLength(REFUSE_BODY)}\r\n\r\n${REFUSE_BODY}`;

function destroyDuplex(socket: Duplex): void {
  socket.destroy();
}

/** The offered subprotocol token that is "sip" (compared without case), or undefined. */
function offeredSip(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  for (const token of header.split(',')) {
    const t = token.trim();
    if (t.toLowerCase() === SIP_SUBPROTOCOL) return t;
  }
  return undefined;
}

export interface WsListenerDeps extends StreamListenerDeps {
  readonly observer: TransportObserver;
}

/**
 * Accepts SIP over WebSocket (RFC 7118) on an HTTP or HTTPS server. Every raw socket passes the
 * gate first, and must complete its upgrade within idleTimeoutMs (after the TLS handshake for
 * WSS); plain HTTP requests get 426 and upgrades without the "sip" subprotocol are refused.
 */
export class WsListener {
  private readonly wss: WebSocketServer;
  /** Sockets not yet upgraded, with the timer that destroys them if they never are. */
  private readonly pending = new Map<Duplex, NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    private readonly protocol: 'ws' | 'wss',
    private readonly deps: WsListenerDeps,
  ) {
    const limits = deps.context.limits;
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: limits.maxMessageBytes,
      handleProtocols: (protocols) => {
        for (const p of protocols) if (p.toLowerCase() === SIP_SUBPROTOCOL) return p;
        return false;
      },
    });
    this.wss.on('error', this.onServerError);
    server.on('error', this.onServerError);
    server.on('connection', this.onRawConnection);
    if (protocol === 'wss') {
      server.on('secureConnection', this.startUpgradeDeadline);
      server.on('tlsClientError', this.onTlsClientError);
    }
    server.on('request', this.onPlainRequest);
    server.on('upgrade', this.onUpgrade);
    server.on('clientError', this.onClientError);
  }

  static async start(
    protocol: 'ws' | 'wss',
    host: string,
    port: number,
    deps: WsListenerDeps,
    credentials?: TlsCredentials,
  ): Promise<WsListener> {
    const limits = deps.context.limits;
    const httpOptions = {
      // Node's own slow-request guard, on top of the upgrade deadline below.
      headersTimeout: limits.idleTimeoutMs,
      requestTimeout: limits.idleTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, Math.max(25, limits.idleTimeoutMs / 4)),
      maxHeaderSize: 8192,
      noDelay: true,
    };
    const server: Server =
      protocol === 'ws'
        ? createHttpServer(httpOptions)
        : createHttpsServer({
            ...httpOptions,
            cert: credentials?.cert,
            key: credentials?.key,
            handshakeTimeout: limits.tlsHandshakeTimeoutMs,
          });
    const listener = new WsListener(server, protocol, deps);
    await listen(server, host, port);
    return listener;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  close(): Promise<void> {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    this.wss.close();
    return closeServer(this.server);
  }

  private readonly onRawConnection = (socket: Socket): void => {
    const address = this.deps.gate.admitInbound(socket, this.protocol);
    if (address !== null && this.protocol === 'ws') this.startUpgradeDeadline(socket);
  };

  private readonly startUpgradeDeadline = (socket: Duplex): void => {
    const timer = setTimeout(destroyDuplex, this.deps.context.limits.idleTimeoutMs, socket);
    timer.unref();
    this.pending.set(socket, timer);
    socket.once('close', () => this.clearDeadline(socket));
  };

  private clearDeadline(socket: Duplex): void {
    const timer = this.pending.get(socket);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.pending.delete(socket);
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (offeredSip(req.headers['sec-websocket-protocol']) === undefined) {
      this.deps.observer.connectionRefused('no-sip-subprotocol');
      // The upgrade deadline still runs and destroys a peer that does not close after this.
      socket.end(REFUSE_NO_SIP);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.adopt(ws, req, socket));
  };

  private adopt(ws: WebSocket, req: IncomingMessage, socket: Duplex): void {
    this.clearDeadline(socket);
    const raw = req.socket.remoteAddress;
    if (raw === undefined) {
      ws.terminate();
      return;
    }
    const { table, context } = this.deps;
    const connection = new WsConnection(
      table.allocateId(),
      this.protocol,
      ws,
      normalizeAddress(raw),
      req.socket.remotePort ?? 0,
      context,
    );
    table.add(connection);
  }

  private readonly onPlainRequest = (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(426, { Connection: 'close', Upgrade: 'websocket', 'Content-Length': '0' });
    res.end();
  };

  private readonly onClientError = (err: Error, socket: Duplex): void => {
    this.deps.context.log.debug(
      { err, protocol: this.protocol },
      'bad HTTP on a SIP WebSocket port',
    );
    socket.destroy();
  };

  private readonly onTlsClientError = (err: Error, socket: TLSSocket): void => {
    this.deps.context.log.debug(
      { err, address: socket.remoteAddress },
      'TLS handshake failed or timed out',
    );
    socket.destroy();
  };

  private readonly onServerError = (err: Error): void => {
    this.deps.context.log.warn({ err, protocol: this.protocol }, 'SIP WebSocket listener error');
  };
}
