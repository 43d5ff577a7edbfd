import { createCipheriv } from 'node:crypto';

/**
 * SRTP master and session keys (RFC 3711 §4.3) of AES_CM_128_HMAC_SHA1_80, the protection
 * profile the platform negotiates in DTLS-SRTP (RFC 5764 §4.1.2, SRTP_AES128_CM_HMAC_SHA1_80):
 * 128-bit master key, 112-bit master salt, 160-bit authentication key, 80-bit tag.
 */
export const SRTP_MASTER_KEY_LENGTH = 16;
export const SRTP_MASTER_SALT_LENGTH = 14;
export const SRTP_AUTH_KEY_LENGTH = 20;
export const SRTP_AUTH_TAG_LENGTH = 10;

/** The keys one direction of one stream kind (RTP or RTCP) is protected with. */
export interface SrtpSessionKeys {
  readonly encryptionKey: Buffer;
  readonly authenticationKey: Buffer;
  readonly salt: Buffer;
}

/** Session keys of one sender: its RTP and its RTCP (SRTCP has labels of its own). */
export interface SrtpKeySet {
  readonly rtp: SrtpSessionKeys;
  readonly rtcp: SrtpSessionKeys;
}

/** RFC 3711 §4.3.1 labels. */
const LABELS = {
  rtpEncryption: 0x00,
  rtpAuthentication: 0x01,
  rtpSalt: 0x02,
  rtcpEncryption: 0x03,
  rtcpAuthentication: 0x04,
  rtcpSalt: 0x05,
} as const;

/**
 * The AES-CM pseudo-random function with key derivation rate 0 (RFC 3711 §4.3.1/§4.3.3): the
 * keystream of AES in counter mode under the master key, starting at (label ‖ 0⁴⁸ XOR salt)·2¹⁶.
 */
function derive(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  const iv = Buffer.alloc(16);
  masterSalt.copy(iv, 0);
  // key_id = label ‖ r(48 bits, 0 with kdr 0) sits right-aligned in the 112-bit salt: byte 7.
  iv[7] ^= label;
  const cipher = createCipheriv('aes-128-ctr', masterKey, iv);
  return cipher.update(Buffer.alloc(length));
}

/** Derives the session keys of a sender from its master key and salt (RFC 3711 §4.3). */
export function deriveSrtpKeys(masterKey: Buffer, masterSalt: Buffer): SrtpKeySet {
  if (masterKey.length !== SRTP_MASTER_KEY_LENGTH) {
    throw new RangeError(`an SRTP master key has 16 octets, got ${masterKey.length}`);
  }
  if (masterSalt.length !== SRTP_MASTER_SALT_LENGTH) {
    throw new RangeError(`an SRTP master salt has 14 octets, got ${masterSalt.length}`);
  }
  const keys = (encryption: number, authentication: number, salt: number): SrtpSessionKeys => ({
    encryptionKey: derive(masterKey, masterSalt, encryption, SRTP_MASTER_KEY_LENGTH),
    authenticationKey: derive(masterKey, masterSalt, authentication, SRTP_AUTH_KEY_LENGTH),
    salt: derive(masterKey, masterSalt, salt, SRTP_MASTER_SALT_LENGTH),
  });
  return {
    rtp: keys(LABELS.rtpEncryption, LABELS.rtpAuthentication, LABELS.rtpSalt),
    rtcp: keys(LABELS.rtcpEncryption, LABELS.rtcpAuthentication, LABELS.rtcpSalt),
  };
}

/**
 * The keying material a DTLS-SRTP handshake exports (RFC 5764 §4.2): client key, server key,
 * client salt, server salt. Each side protects with its own and unprotects with its peer's.
 */
export function splitDtlsSrtpKeyingMaterial(
  material: Buffer,
  role: 'client' | 'server',
): { readonly local: SrtpKeySet; readonly remote: SrtpKeySet } {
  const k = SRTP_MASTER_KEY_LENGTH;
  const s = SRTP_MASTER_SALT_LENGTH;
  if (material.length !== 2 * k + 2 * s) {
    throw new RangeError(`DTLS-SRTP keying material has ${2 * k + 2 * s} octets`);
  }
  const clientKey = material.subarray(0, k);
  const serverKey = material.subarray(k, 2 * k);
  const clientSalt = material.subarray(2 * k, 2 * k + s);
  const serverSalt = material.subarray(2 * k + s);
  const client = deriveSrtpKeys(clientKey, clientSalt);
  const server = deriveSrtpKeys(serverKey, serverSalt);
  return role === 'client' ? { local: client, remote: server } : { local: server, remote: client };
}
