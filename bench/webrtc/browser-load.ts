import { X509Certificate } from 'node:crypto';
import { type Socket, createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { OpusEncoder } from '@discordjs/opus';
import { SrtpContext, encodeG711, splitDtlsSrtpKeyingMaterial } from '@pbx/rtp';
import {
  CipherContext,
  DtlsClient,
  HashAlgorithm,
  Message,
  NamedCurveAlgorithm,
  SignatureAlgorithm,
  type SignatureHash,
  type Transport,
  classes,
  methods,
} from 'werift';

export type BridgeMode = 'g711' | 'opus';

interface Identity {
  readonly certPem: string;
  readonly keyPem: string;
  readonly signatureHash: SignatureHash;
  readonly fingerprint: string;
}

/** One browser-to-phone call as the load generator plays both ends of it. */
interface LoadCall {
  readonly ufrag: string;
  readonly pwd: string;
  browserPort: number;
  phonePort: number;
  transport?: Transport;
  protect?: SrtpContext;
  unprotect?: SrtpContext;
  browserSeq: number;
  phoneSeq: number;
  iceDone?: () => void;
}

const FRAMES = 50;

/**
 * The browsers and phones of bench/webrtc-bridge.bench.ts in the generator's process: every
 * "browser" does what a real one does against the platform's ICE-lite leg (a nominating STUN
 * check, a DTLS client handshake with werift, then SRTP with the keys it exported) and sends
 * 20 ms frames (G.711, or Opus made once from a tone); every "phone" sends plain G.711. All
 * browsers share one UDP socket and all phones another: the platform tells them apart by the
 * port each call's leg has. Received packets are counted per direction, and one in 16 SRTP
 * packets from the platform is authenticated and decrypted to check it is genuine.
 */
export class BrowserLoad {
  readonly calls: LoadCall[] = [];
  readonly #byBrowserPort = new Map<number, LoadCall>();
  sentToPhone = 0;
  sentToBrowser = 0;
  receivedAtPhone = 0;
  receivedAtBrowser = 0;
  rejectedAtBrowser = 0;
  readonly #browserPayloads: Buffer[];
  readonly #phonePayloads: Buffer[];
  #frame = 0;

  private constructor(
    readonly mode: BridgeMode,
    private readonly browserSocket: Socket,
    private readonly phoneSocket: Socket,
    private readonly identity: Identity,
  ) {
    const tone = (i: number): Int16Array =>
      Int16Array.from({ length: 160 }, (_, k) =>
        Math.round(8000 * Math.sin((2 * Math.PI * 1000 * (160 * i + k)) / 8000)),
      );
    this.#phonePayloads = Array.from({ length: FRAMES }, (_, i) => {
      const out = Buffer.alloc(160);
      encodeG711('pcmu', tone(i), out);
      return out;
    });
    const opus = new OpusEncoder(8000, 1);
    this.#browserPayloads =
      mode === 'opus'
        ? Array.from({ length: FRAMES }, (_, i) => opus.encode(Buffer.from(tone(i).buffer)))
        : this.#phonePayloads;
    browserSocket.on('message', (packet, source) =>
      this.#fromPlatformToBrowser(packet, source.port),
    );
    phoneSocket.on('message', () => {
      this.receivedAtPhone++;
    });
  }

  static async open(mode: BridgeMode): Promise<BrowserLoad> {
    const bind = async (): Promise<Socket> => {
      const socket = createSocket({
        type: 'udp4',
        recvBufferSize: 8 << 20,
        sendBufferSize: 8 << 20,
      });
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
      return socket;
    };
    const { certPem, keyPem, signatureHash } =
      await CipherContext.createSelfSignedCertificateWithKey(
        { signature: SignatureAlgorithm.ecdsa_3, hash: HashAlgorithm.sha256_4 },
        NamedCurveAlgorithm.secp256r1_23,
      );
    const fingerprint = new X509Certificate(certPem).fingerprint256;
    return new BrowserLoad(mode, await bind(), await bind(), {
      certPem,
      keyPem,
      signatureHash,
      fingerprint,
    });
  }

  get phoneSocketPort(): number {
    return (this.phoneSocket.address() as AddressInfo).port;
  }

  /** A browser's offer (what Chromium sends, reduced to what the platform reads) and the phone's SDP. */
  newCall(): [string, string] {
    const index = this.calls.length;
    const call: LoadCall = {
      ufrag: `b${index.toString(36).padStart(4, '0')}`,
      pwd: `benchpassword${index.toString(36).padStart(12, '0')}`,
      browserPort: 0,
      phonePort: 0,
      browserSeq: 1,
      phoneSeq: 1,
    };
    this.calls.push(call);
    const codecs =
      this.mode === 'opus'
        ? [
            'm=audio 9 UDP/TLS/RTP/SAVPF 111 110',
            'a=rtpmap:111 opus/48000/2',
            'a=rtpmap:110 telephone-event/48000',
          ]
        : [
            'm=audio 9 UDP/TLS/RTP/SAVPF 0 8 126',
            'a=rtpmap:0 PCMU/8000',
            'a=rtpmap:8 PCMA/8000',
            'a=rtpmap:126 telephone-event/8000',
          ];
    const offer = [
      'v=0',
      `o=- ${index + 1} 1 IN IP4 127.0.0.1`,
      's=-',
      't=0 0',
      'a=group:BUNDLE 0',
      codecs[0],
      'c=IN IP4 0.0.0.0',
      'a=mid:0',
      `a=ice-ufrag:${call.ufrag}`,
      `a=ice-pwd:${call.pwd}`,
      `a=fingerprint:sha-256 ${this.identity.fingerprint}`,
      'a=setup:actpass',
      'a=rtcp-mux',
      ...codecs.slice(1),
      'a=sendrecv',
      '',
    ].join('\r\n');
    const phone = [
      'v=0',
      `o=phone ${index + 1} 1 IN IP4 127.0.0.1`,
      's=-',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      `m=audio ${this.phoneSocketPort} RTP/AVP 0 101`,
      'a=rtpmap:101 telephone-event/8000',
      'a=ptime:20',
      'a=sendrecv',
      '',
    ].join('\r\n');
    return [offer, phone];
  }

  /** ICE check and DTLS handshake of call `index`, given the platform's SDPs for both ends. */
  async connect(index: number, browserAnswer: string, phoneOffer: string): Promise<void> {
    const call = this.calls[index];
    call.browserPort = Number(/^m=audio (\d+)/m.exec(browserAnswer)?.[1]);
    call.phonePort = Number(/^m=audio (\d+)/m.exec(phoneOffer)?.[1]);
    const ufrag = /^a=ice-ufrag:(\S+)/m.exec(browserAnswer)?.[1] ?? '';
    const pwd = /^a=ice-pwd:(\S+)/m.exec(browserAnswer)?.[1] ?? '';
    this.#byBrowserPort.set(call.browserPort, call);
    const check = new Message(methods.BINDING, classes.REQUEST);
    check.setAttribute('USERNAME', `${ufrag}:${call.ufrag}`);
    check.setAttribute('PRIORITY', 2130706431);
    check.setAttribute('ICE-CONTROLLING', BigInt(index + 1));
    check.setAttribute('USE-CANDIDATE', null);
    check.addMessageIntegrity(Buffer.from(pwd));
    check.addFingerprint();
    const checked = new Promise<void>((resolve) => (call.iceDone = resolve));
    this.browserSocket.send(check.bytes, call.browserPort, '127.0.0.1');
    await withTimeout(checked, 5_000, `the ICE check of call ${index}`);
    const transport: Transport = {
      type: 'udp',
      address: { address: '127.0.0.1', port: 0, family: 'IPv4' },
      closed: false,
      onData: () => undefined,
      send: (datagram: Buffer): Promise<void> => {
        this.browserSocket.send(datagram, call.browserPort, '127.0.0.1');
        return Promise.resolve();
      },
      close: (): Promise<void> => Promise.resolve(),
    };
    call.transport = transport;
    const dtls = new DtlsClient({
      transport,
      cert: this.identity.certPem,
      key: this.identity.keyPem,
      signatureHash: this.identity.signatureHash,
      srtpProfiles: [1],
      extendedMasterSecret: true,
    });
    const keyed = new Promise<void>((resolve) =>
      dtls.onConnect.subscribe(() => {
        const keys = splitDtlsSrtpKeyingMaterial(
          dtls.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60),
          'client',
        );
        call.protect = new SrtpContext(keys.local);
        call.unprotect = new SrtpContext(keys.remote);
        resolve();
      }),
    );
    void dtls.connect().catch(() => undefined);
    await withTimeout(keyed, 10_000, `the DTLS handshake of call ${index}`);
  }

  /** One 20 ms frame on every call, both ways. */
  tick(): void {
    const frame = this.#frame++;
    const phonePayload = this.#phonePayloads[frame % FRAMES];
    const browserPayload = this.#browserPayloads[frame % FRAMES];
    const browserPt = this.mode === 'opus' ? 111 : 0;
    for (const call of this.calls) {
      if (call.protect === undefined) continue;
      const fromBrowser = rtp(
        browserPt,
        call.browserSeq++,
        frame * (this.mode === 'opus' ? 960 : 160),
        0x0b000000 + call.browserPort,
        browserPayload,
      );
      this.browserSocket.send(call.protect.protectRtp(fromBrowser), call.browserPort, '127.0.0.1');
      this.sentToPhone++;
      this.phoneSocket.send(
        rtp(0, call.phoneSeq++, frame * 160, 0x0a000000 + call.phonePort, phonePayload),
        call.phonePort,
        '127.0.0.1',
      );
      this.sentToBrowser++;
    }
  }

  resetCounters(): void {
    this.sentToPhone = 0;
    this.sentToBrowser = 0;
    this.receivedAtPhone = 0;
    this.receivedAtBrowser = 0;
    this.rejectedAtBrowser = 0;
  }

  close(): void {
    this.browserSocket.close();
    this.phoneSocket.close();
  }

  #fromPlatformToBrowser(packet: Buffer, port: number): void {
    const call = this.#byBrowserPort.get(port);
    if (call === undefined) return;
    const first = packet[0];
    if (first < 4) {
      call.iceDone?.();
      call.iceDone = undefined;
    } else if (first >= 20 && first <= 63) {
      call.transport?.onData(packet, { address: '127.0.0.1', port } as never);
    } else if (first >= 128 && first <= 191) {
      this.receivedAtBrowser++;
      // A sample is authenticated and decrypted: the platform really sent SRTP under the keys.
      if ((this.receivedAtBrowser & 15) === 0 && call.unprotect?.unprotectRtp(packet) === null) {
        this.rejectedAtBrowser++;
      }
    }
  }
}

function rtp(pt: number, seq: number, ts: number, ssrc: number, payload: Buffer): Buffer {
  const packet = Buffer.allocUnsafe(12 + payload.length);
  packet[0] = 0x80;
  packet[1] = pt;
  packet.writeUInt16BE(seq & 0xffff, 2);
  packet.writeUInt32BE(ts >>> 0, 4);
  packet.writeUInt32BE(ssrc >>> 0, 8);
  payload.copy(packet, 12);
  return packet;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
