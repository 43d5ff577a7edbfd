import { type DtlsFingerprint, type SrtpKeySet, splitDtlsSrtpKeyingMaterial } from '@pbx/rtp';
import { DtlsClient, DtlsServer, type DtlsSocket, type Transport } from 'werift';
import { type DtlsIdentity, fingerprintOf } from './dtls-identity';

/** SRTP_AES128_CM_HMAC_SHA1_80 (RFC 5764 §4.1.2), the profile the platform's SRTP implements. */
const SRTP_AES128_CM_HMAC_SHA1_80 = 1;
/** Key and salt lengths of that profile, twice (client and server), RFC 5764 §4.2. */
const KEYING_MATERIAL_LENGTH = 2 * 16 + 2 * 14;

export type DtlsRole = 'client' | 'server';

export interface DtlsSrtpKeys {
  /** What the platform protects with. */
  readonly local: SrtpKeySet;
  /** What it unprotects the browser's packets with. */
  readonly remote: SrtpKeySet;
}

export interface DtlsSessionListener {
  /** The handshake completed and the peer's certificate matches its SDP fingerprint. */
  onKeys(keys: DtlsSrtpKeys): void;
  onFailure(reason: string): void;
}

/**
 * The DTLS-SRTP handshake of one WebRTC leg (RFC 5764, RFC 5763), run by werift's DTLS over the
 * leg's own socket: only the handshake, whose exported keys then drive the media service's own
 * SRTP. The peer must show the certificate its SDP fingerprinted, else the leg gets no keys.
 */
export class DtlsSession {
  readonly #socket: DtlsSocket;
  readonly #transport: Transport;
  readonly #fingerprints: readonly DtlsFingerprint[];
  readonly #listener: DtlsSessionListener;
  #done = false;

  constructor(
    readonly role: DtlsRole,
    identity: DtlsIdentity,
    fingerprints: readonly DtlsFingerprint[],
    send: (datagram: Buffer) => void,
    listener: DtlsSessionListener,
  ) {
    this.#fingerprints = fingerprints;
    this.#listener = listener;
    this.#transport = {
      type: 'udp',
      address: { address: '0.0.0.0', port: 0, family: 'IPv4' },
      closed: false,
      onData: () => undefined,
      send: (datagram: Buffer): Promise<void> => {
        send(datagram);
        return Promise.resolve();
      },
      close: (): Promise<void> => Promise.resolve(),
    };
    const options = {
      transport: this.#transport,
      cert: identity.certPem,
      key: identity.keyPem,
      signatureHash: identity.signatureHash,
      srtpProfiles: [SRTP_AES128_CM_HMAC_SHA1_80] as [1],
      // The browser's certificate is what its a=fingerprint vouches for (RFC 5763 §5).
      certificateRequest: true,
      extendedMasterSecret: true,
    };
    this.#socket = role === 'server' ? new DtlsServer(options) : new DtlsClient(options);
    this.#socket.onConnect.subscribe(() => this.#connected());
    this.#socket.onError.subscribe((error: Error) => this.#fail(`DTLS failed: ${error.message}`));
  }

  /** A client starts the handshake once ICE selected a pair; a server waits for ClientHello. */
  start(): void {
    if (this.role !== 'client') return;
    (this.#socket as DtlsClient).connect().catch((error: unknown) => {
      this.#fail(`DTLS failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /** A DTLS datagram from the peer (RFC 7983: first octet 20-63). */
  receive(datagram: Buffer): void {
    this.#transport.onData(datagram, { address: '', port: 0 } as never);
  }

  close(): void {
    this.#done = true;
    this.#transport.closed = true;
  }

  #connected(): void {
    if (this.#done) return;
    const certificate = this.#socket.remoteCertificate;
    if (certificate === undefined) return this.#fail('the peer showed no certificate');
    const expected = this.#fingerprints
      .filter((f) => f.algorithm === 'sha-256')
      .map((f) => f.value);
    if (!expected.includes(fingerprintOf(certificate))) {
      return this.#fail('the peer certificate does not match its a=fingerprint');
    }
    if (this.#socket.srtp.srtpProfile !== SRTP_AES128_CM_HMAC_SHA1_80) {
      return this.#fail('no SRTP protection profile in common');
    }
    this.#done = true;
    const material = this.#socket.exportKeyingMaterial(
      'EXTRACTOR-dtls_srtp',
      KEYING_MATERIAL_LENGTH,
    );
    this.#listener.onKeys(splitDtlsSrtpKeyingMaterial(material, this.role));
  }

  #fail(reason: string): void {
    if (this.#done) return;
    this.#done = true;
    this.#listener.onFailure(reason);
  }
}
