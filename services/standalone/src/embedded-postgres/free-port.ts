import { createServer } from 'node:net';

/**
 * Asks the kernel for a free TCP port on 127.0.0.1. Another process may take it before PostgreSQL
 * binds it; the caller retries with a new port when the server then reports "address in use".
 */
export function pickFreeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() =>
        port > 0 ? resolve(port) : reject(new Error('the kernel assigned no port')),
      );
    });
  });
}
