import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket as TcpSocket } from 'node:net';
import { SipStreamFramer } from '@pbx/sip';
import { readAnswer, type SipAnswer } from './sip-answer';

export type ProbeTransport = 'udp' | 'tcp';

/** A client socket to the edge that sends raw bytes and collects the answers, in order. */
export interface SipProbe {
  readonly transport: ProbeTransport;
  /** The local port: what the edge sees as the source port (rport). */
  readonly localPort: number;
  /** True once the edge closed a TCP connection (never for UDP). */
  readonly closedByPeer: boolean;
  send(data: Buffer): Promise<void>;
  /** The next answer not yet taken, waiting at most `timeoutMs`; null if none came. */
  next(timeoutMs: number): Promise<SipAnswer | null>;
  close(): Promise<void>;
}

/** Answers in arrival order, with at most one reader waiting (tests read sequentially). */
class AnswerQueue {
  readonly #answers: SipAnswer[] = [];
  #waiter: ((answer: SipAnswer) => void) | null = null;

  push(answer: SipAnswer): void {
    const waiter = this.#waiter;
    if (waiter === null) {
      this.#answers.push(answer);
      return;
    }
    this.#waiter = null;
    waiter(answer);
  }

  next(timeoutMs: number): Promise<SipAnswer | null> {
    const queued = this.#answers.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiter = null;
        resolve(null);
      }, timeoutMs);
      this.#waiter = (answer) => {
        clearTimeout(timer);
        resolve(answer);
      };
    });
  }
}

export async function openUdpProbe(edgePort: number): Promise<SipProbe> {
  const socket: UdpSocket = createSocket('udp4');
  const answers = new AnswerQueue();
  socket.on('message', (data) => {
    const answer = readAnswer(data);
    if (answer !== null) answers.push(answer);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  // ICMP port unreachable and the like must not become uncaught errors.
  socket.on('error', () => undefined);
  let closed = false;
  return {
    transport: 'udp',
    localPort: socket.address().port,
    closedByPeer: false,
    send: (data) =>
      new Promise<void>((resolve, reject) =>
        socket.send(data, edgePort, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
      ),
    next: (timeoutMs) => answers.next(timeoutMs),
    close: () => {
      if (closed) return Promise.resolve();
      closed = true;
      return new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

export async function openTcpProbe(edgePort: number): Promise<SipProbe> {
  const socket: TcpSocket = connect({ host: '127.0.0.1', port: edgePort });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const answers = new AnswerQueue();
  const framer = new SipStreamFramer();
  let closedByPeer = false;
  socket.on('data', (chunk: Buffer) => {
    for (const frame of framer.push(chunk)) {
      if (frame.kind !== 'message') continue;
      const answer = readAnswer(frame.data);
      if (answer !== null) answers.push(answer);
    }
  });
  socket.on('error', () => undefined);
  socket.on('close', () => (closedByPeer = true));
  return {
    transport: 'tcp',
    localPort: socket.localPort ?? 0,
    get closedByPeer() {
      return closedByPeer;
    },
    send: (data) =>
      new Promise<void>((resolve, reject) =>
        socket.write(data, (err) => (err ? reject(err) : resolve())),
      ),
    next: (timeoutMs) => answers.next(timeoutMs),
    close: () => {
      if (socket.destroyed) return Promise.resolve();
      return new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.destroy();
      });
    },
  };
}

export function openProbe(transport: ProbeTransport, edgePort: number): Promise<SipProbe> {
  return transport === 'udp' ? openUdpProbe(edgePort) : openTcpProbe(edgePort);
}
