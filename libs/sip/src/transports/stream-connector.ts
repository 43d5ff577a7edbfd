import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { TransportError, TransportErrorCode } from './transport-error';
import type { TlsClientOptions } from './transport-options';

/**
 * Opens an outbound TCP or TLS connection (RFC 3261 18.1.1, 26.3.1) and resolves once it is
 * ready to carry SIP (TLS: handshake done and, unless disabled, the certificate verified), or
 * rejects after timeoutMs or when `signal` aborts. The caller attaches its own listeners synchronously on resolution.
 */
export function connectStream(
  protocol: 'tcp' | 'tls',
  address: string,
  port: number,
  timeoutMs: number,
  tlsOptions: TlsClientOptions = {},
  signal?: AbortSignal,
): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(new TransportError(TransportErrorCode.Closed, 'transport is closing'));
      return;
    }
    const socket =
      protocol === 'tcp'
        ? connectTcp({ host: address, port, noDelay: true })
        : connectTls({
            host: address,
            port,
            // SNI carries names only (RFC 6066 3); an IP literal is checked against IP SANs.
            servername: isIP(address) === 0 ? address : undefined,
            rejectUnauthorized: tlsOptions.rejectUnauthorized ?? true,
            ca: tlsOptions.ca,
          });
    const readyEvent = protocol === 'tcp' ? 'connect' : 'secureConnect';
    const done = (err: TransportError | null): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      socket.off(readyEvent, onReady);
      if (err === null) {
        resolve(socket);
        return;
      }
      socket.destroy();
      reject(err);
    };
    const onReady = (): void => done(null);
    const onError = (err: Error): void =>
      done(
        new TransportError(
          TransportErrorCode.ConnectFailed,
          `${protocol} connect to ${address}:${port} failed: ${err.message}`,
          { protocol, address, port },
          { cause: err },
        ),
      );
    const timer = setTimeout(
      () =>
        done(
          new TransportError(
            TransportErrorCode.ConnectTimeout,
            `${protocol} connect to ${address}:${port} timed out after ${timeoutMs} ms`,
            { protocol, address, port },
          ),
        ),
      timeoutMs,
    );
    timer.unref();
    const onAbort = (): void =>
      done(new TransportError(TransportErrorCode.Closed, 'transport is closing'));
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once(readyEvent, onReady);
  });
}
