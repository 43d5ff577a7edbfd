import { type Socket, createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { type Bencoded, bdecode, bencode } from './bencode';

type Dict = { [key: string]: Bencoded };

/**
 * A client of rtpengine's ng control protocol over UDP: each message is a cookie, a space and a
 * bencoded dictionary; the reply carries the same cookie. Retransmits after a timeout (rtpengine
 * answers a repeated cookie from its cache, so a retry is safe).
 */
export class NgClient {
  readonly #socket: Socket;
  readonly #pending = new Map<string, (reply: Dict) => void>();

  private constructor(
    socket: Socket,
    private readonly port: number,
  ) {
    this.#socket = socket;
    socket.on('message', (message) => {
      const space = message.indexOf(0x20);
      const resolve = this.#pending.get(message.toString('latin1', 0, space));
      if (resolve === undefined) return;
      this.#pending.delete(message.toString('latin1', 0, space));
      resolve(bdecode(message.subarray(space + 1)) as Dict);
    });
  }

  static async open(port: number): Promise<NgClient> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    return new NgClient(socket, port);
  }

  async command(body: Dict, timeoutMs = 1_000, tries = 5, expected = 'ok'): Promise<Dict> {
    const cookie = randomBytes(8).toString('hex');
    const message = Buffer.concat([Buffer.from(`${cookie} `), bencode(body)]);
    for (let attempt = 0; attempt < tries; attempt++) {
      const reply = await new Promise<Dict | null>((resolve) => {
        const timer = setTimeout(() => resolve(null), timeoutMs);
        this.#pending.set(cookie, (r) => {
          clearTimeout(timer);
          resolve(r);
        });
        this.#socket.send(message, this.port, '127.0.0.1');
      });
      if (reply !== null) {
        if (reply.result !== expected) {
          throw new Error(`rtpengine ${String(body.command)}: ${JSON.stringify(reply)}`);
        }
        return reply;
      }
    }
    this.#pending.delete(cookie);
    throw new Error(`rtpengine did not answer ${String(body.command)} (${tries} tries)`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }
}
