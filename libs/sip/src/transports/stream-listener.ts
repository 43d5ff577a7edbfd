import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { ConnectionGate } from './connection-gate';
import type { ConnectionTable } from './connection-table';
import { normalizeAddress } from './peer-address';
import { StreamConnection, type StreamContext } from './stream-connection';
import type { TlsCredentials } from './transport-options';

export interface StreamListenerDeps {
  readonly gate: ConnectionGate;
  readonly table: ConnectionTable;
  readonly context: StreamContext;
}

/** Binds a server and resolves once it listens, or rejects with the bind error. */
export function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Stops accepting; resolves once every connection is gone (the gate destroys them). */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
  });
}

/**
 * Accepts SIP over TCP or TLS (RFC 3261 18.3, 26.2). Admission happens on the raw socket, before
 * the TLS handshake, whose duration is bounded by tlsHandshakeTimeoutMs.
 */
export class StreamListener {
  private constructor(
    private readonly server: Server,
    private readonly protocol: 'tcp' | 'tls',
    private readonly deps: StreamListenerDeps,
  ) {
    server.on('error', this.onServerError);
    if (protocol === 'tcp') {
      server.on('connection', this.onTcpConnection);
    } else {
      server.on('connection', this.onRawTlsConnection);
      server.on('secureConnection', this.onSecureConnection);
      server.on('tlsClientError', this.onTlsClientError);
    }
  }

  static async start(
    protocol: 'tcp' | 'tls',
    host: string,
    port: number,
    deps: StreamListenerDeps,
    credentials?: TlsCredentials,
  ): Promise<StreamListener> {
    const limits = deps.context.limits;
    const server =
      protocol === 'tcp'
        ? createTcpServer({ noDelay: true })
        : createTlsServer({
            cert: credentials?.cert,
            key: credentials?.key,
            handshakeTimeout: limits.tlsHandshakeTimeoutMs,
          });
    const listener = new StreamListener(server, protocol, deps);
    await listen(server, host, port);
    return listener;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private readonly onTcpConnection = (socket: Socket): void => {
    const address = this.deps.gate.admitInbound(socket, 'tcp');
    if (address === null) return;
    this.adopt(socket, address);
  };

  private readonly onRawTlsConnection = (socket: Socket): void => {
    this.deps.gate.admitInbound(socket, 'tls');
  };

  private readonly onSecureConnection = (socket: TLSSocket): void => {
    const raw = socket.remoteAddress;
    if (raw === undefined || socket.destroyed) {
      socket.destroy();
      return;
    }
    this.adopt(socket, normalizeAddress(raw));
  };

  private adopt(socket: Socket, address: string): void {
    const { table, context } = this.deps;
    const connection = new StreamConnection(
      table.allocateId(),
      this.protocol,
      socket,
      address,
      socket.remotePort ?? 0,
      true,
      context,
    );
    table.add(connection);
  }

  private readonly onTlsClientError = (err: Error, socket: TLSSocket): void => {
    this.deps.context.log.debug(
      { err, address: socket.remoteAddress },
      'TLS handshake failed or timed out',
    );
    socket.destroy();
  };

  private readonly onServerError = (err: Error): void => {
    // Accept errors (EMFILE...) after listening: the server keeps listening.
    this.deps.context.log.warn({ err, protocol: this.protocol }, 'SIP listener error');
  };
}
