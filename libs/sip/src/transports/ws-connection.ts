import { isUtf8 } from 'node:buffer';
import type { RawData, WebSocket } from 'ws';
import type { StreamContext } from './stream-connection';
import { TransportConnection } from './transport-connection';
import { TransportError, TransportErrorCode } from './transport-error';

const PONG = '\r\n';
const RESOLVED: Promise<void> = Promise.resolve();
const OPEN = 1;

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** A message of CR and LF only holding CRLFCRLF: the keep-alive ping of RFC 5626 4.4.1. */
function isPing(data: Buffer): boolean {
  for (let i = 0; i < data.length; i++) if (data[i] !== 13 && data[i] !== 10) return false;
  return data.includes('\r\n\r\n');
}

/**
 * SIP over a WebSocket (RFC 7118): each WebSocket message is exactly one SIP message, text or
 * binary (5.1). Answers CRLFCRLF pings with CRLF as on TCP, which SIP.js and JsSIP rely on.
 */
export class WsConnection extends TransportConnection {
  constructor(
    id: number,
    protocol: 'ws' | 'wss',
    private readonly ws: WebSocket,
    address: string,
    port: number,
    private readonly ctx: StreamContext,
  ) {
    super(id, protocol, address, port, true, ctx.onClosed);
    ws.on('message', this.onMessage);
    ws.on('error', this.onError);
    ws.once('close', this.onClose);
  }

  write(data: Buffer): Promise<void> {
    if (this.closed || this.ws.readyState !== OPEN) {
      return Promise.reject(
        new TransportError(TransportErrorCode.NoConnection, 'WebSocket is closed', {
          connectionId: this.id,
        }),
      );
    }
    if (this.ws.bufferedAmount + data.length > this.ctx.limits.maxPendingWriteBytes) {
      this.destroy('peer does not read: write buffer full');
      return Promise.reject(
        new TransportError(TransportErrorCode.WriteBufferFull, 'peer does not read', {
          connectionId: this.id,
        }),
      );
    }
    // Text frames suit browsers (5.1); a body that is not UTF-8 must go in a binary frame.
    this.ws.send(data, { binary: !isUtf8(data) });
    this.lastActivityAt = performance.now();
    return RESOLVED;
  }

  destroy(reason: string): void {
    if (this.closed) return;
    this.ctx.log.debug(
      { protocol: this.protocol, address: this.peer.address, port: this.peer.port, reason },
      'SIP WebSocket destroyed',
    );
    this.ws.terminate();
    this.markClosed();
  }

  private readonly onMessage = (raw: RawData): void => {
    const data = toBuffer(raw);
    const now = performance.now();
    this.lastCompleteAt = now;
    this.lastActivityAt = now;
    if (data.length > 0 && (data[0] === 13 || data[0] === 10) && isPing(data)) {
      this.ws.send(PONG);
      return;
    }
    const reply = this.ctx.pipeline.process(data, this.peer, false);
    if (reply !== null && !this.closed) this.ws.send(reply, { binary: !isUtf8(reply) });
  };

  private readonly onError = (err: Error): void => {
    this.ctx.log.debug(
      { err, protocol: this.protocol, address: this.peer.address, port: this.peer.port },
      'SIP WebSocket error',
    );
  };

  private readonly onClose = (): void => {
    this.markClosed();
  };
}
