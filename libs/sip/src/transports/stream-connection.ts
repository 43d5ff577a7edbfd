import type { Socket } from 'node:net';
import type { MessageParseError } from '../messages/message-parse-error';
import { SipStreamFramer, type StreamFrame } from '../messages/stream-framer';
import type { InboundPipeline } from './inbound-pipeline';
import { TransportConnection } from './transport-connection';
import { TransportError, TransportErrorCode } from './transport-error';
import type { TransportLimits } from './transport-limits';
import type { TransportLog } from './transport-observer';

/** What a stream connection needs from the layer. */
export interface StreamContext {
  readonly pipeline: InboundPipeline;
  readonly limits: TransportLimits;
  readonly log: TransportLog;
  readonly onClosed: (connection: TransportConnection) => void;
}

/** RFC 5626 4.4.1: the answer to a CRLFCRLF ping. */
const PONG = Buffer.from('\r\n');
/** Enough of a broken message's head to find Via, From, To, Call-ID and CSeq for an answer. */
const SALVAGE_HEAD_BYTES = 8192;
/** After a framing error the answer gets this long to drain before the socket is destroyed. */
const LINGER_MS = 2000;
const RESOLVED: Promise<void> = Promise.resolve();

function destroySocket(socket: Socket): void {
  socket.destroy();
}

/**
 * A SIP connection over TCP or TLS (RFC 3261 18.3): frames the byte stream by Content-Length,
 * answers keep-alive pings, and hands each message to the pipeline. Framing errors are answered
 * when possible, then the connection is closed: after them the stream cannot be trusted.
 */
export class StreamConnection extends TransportConnection {
  private readonly framer: SipStreamFramer;
  /** The first bytes of the partial message the framer holds, kept for a salvaged answer. */
  private partialHead: Buffer | null = null;
  private ending = false;

  constructor(
    id: number,
    protocol: 'tcp' | 'tls',
    private readonly socket: Socket,
    address: string,
    port: number,
    inbound: boolean,
    private readonly ctx: StreamContext,
  ) {
    super(id, protocol, address, port, inbound, ctx.onClosed);
    this.framer = new SipStreamFramer({ maxMessageBytes: ctx.limits.maxMessageBytes });
    socket.setNoDelay(true);
    // Detects peers that vanished without a FIN (half-open) even when neither side sends.
    socket.setKeepAlive(true, 30000);
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.once('close', this.onClose);
  }

  write(data: Buffer): Promise<void> {
    if (this.closed || this.ending || this.socket.destroyed) {
      return Promise.reject(
        new TransportError(TransportErrorCode.NoConnection, 'connection is closed', {
          connectionId: this.id,
        }),
      );
    }
    if (this.socket.writableLength + data.length > this.ctx.limits.maxPendingWriteBytes) {
      this.destroy('peer does not read: write buffer full');
      return Promise.reject(
        new TransportError(TransportErrorCode.WriteBufferFull, 'peer does not read', {
          connectionId: this.id,
        }),
      );
    }
    // Resolves once queued: a write error closes the connection, which the transaction layer
    // sees as a timeout or transport error on its next send (RFC 3261 17.1.4).
    this.socket.write(data);
    this.lastActivityAt = performance.now();
    return RESOLVED;
  }

  destroy(reason: string): void {
    if (this.closed) return;
    this.ctx.log.debug(
      { protocol: this.protocol, address: this.peer.address, port: this.peer.port, reason },
      'SIP connection destroyed',
    );
    this.socket.destroy();
    this.markClosed();
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.ending) return;
    const frames = this.framer.push(chunk);
    let completed = false;
    for (let i = 0; i < frames.length; i++) {
      const frame = frames[i];
      if (frame.kind === 'message') {
        completed = true;
        const reply = this.ctx.pipeline.process(frame.data, this.peer, true);
        if (reply !== null) this.socket.write(reply);
      } else if (frame.kind === 'keep-alive') {
        completed = true;
        if (frame.type === 'ping') this.socket.write(PONG);
      } else {
        this.failFraming(frame.error, chunk, frames, i);
        return;
      }
      // The handler may have closed the layer, or a write may have failed synchronously.
      if (this.closed) return;
    }
    const now = performance.now();
    if (completed) {
      this.lastCompleteAt = now;
      this.lastActivityAt = now;
    }
    const buffered = this.framer.bufferedBytes;
    if (buffered === 0) {
      this.partialSince = 0;
      this.partialHead = null;
    } else if (completed || this.partialSince === 0) {
      // A new partial message began in this chunk (the framer had nothing before it, or the
      // previous message completed in it), so its first bytes are this chunk's tail.
      this.partialSince = now;
      const start = Math.max(0, chunk.length - buffered);
      this.partialHead = Buffer.from(
        chunk.subarray(start, Math.min(chunk.length, start + SALVAGE_HEAD_BYTES)),
      );
    }
  };

  /** Answers the broken message if enough of it is at hand, then closes the connection. */
  private failFraming(
    error: MessageParseError,
    chunk: Buffer,
    frames: readonly StreamFrame[],
    failedAt: number,
  ): void {
    let head: Buffer | null = this.partialHead ?? chunk;
    for (let i = failedAt - 1; i >= 0; i--) {
      const frame = frames[i];
      if (frame.kind !== 'message') continue;
      // The broken message starts after the last whole one, inside this chunk.
      const end = frame.data.byteOffset + frame.data.length - chunk.byteOffset;
      head =
        frame.data.buffer === chunk.buffer && end >= 0 && end <= chunk.length
          ? chunk.subarray(end)
          : null;
      break;
    }
    const reply = this.ctx.pipeline.reject(head, error, this.peer);
    this.ending = true;
    this.partialHead = null;
    this.socket.pause();
    if (reply !== null) this.socket.end(reply);
    else this.socket.end();
    setTimeout(destroySocket, LINGER_MS, this.socket).unref();
  }

  private readonly onError = (err: Error): void => {
    this.ctx.log.debug(
      { err, protocol: this.protocol, address: this.peer.address, port: this.peer.port },
      'SIP connection error',
    );
  };

  private readonly onClose = (): void => {
    this.markClosed();
  };
}
