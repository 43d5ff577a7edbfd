import { X509Certificate } from 'node:crypto';
import type { DtlsFingerprint } from '@pbx/rtp';
import {
  CipherContext,
  HashAlgorithm,
  NamedCurveAlgorithm,
  SignatureAlgorithm,
  type SignatureHash,
} from 'werift';

/**
 * The certificate the media service shows in every DTLS handshake (RFC 5763 §5: self-signed,
 * bound to the session by the a=fingerprint of the SDP). One ECDSA P-256 key per process, as a
 * browser keeps one per peer connection: making a key pair per call would cost more than the
 * handshake itself.
 */
export interface DtlsIdentity {
  readonly certPem: string;
  readonly keyPem: string;
  readonly signatureHash: SignatureHash;
  readonly fingerprint: DtlsFingerprint;
}

export async function createDtlsIdentity(): Promise<DtlsIdentity> {
  const { certPem, keyPem, signatureHash } = await CipherContext.createSelfSignedCertificateWithKey(
    { signature: SignatureAlgorithm.ecdsa_3, hash: HashAlgorithm.sha256_4 },
    NamedCurveAlgorithm.secp256r1_23,
  );
  return {
    certPem,
    keyPem,
    signatureHash,
    fingerprint: { algorithm: 'sha-256', value: new X509Certificate(certPem).fingerprint256 },
  };
}

/** The sha-256 fingerprint of a DER certificate as SDP writes it. */
export function fingerprintOf(der: Buffer): string {
  return new X509Certificate(der).fingerprint256;
}
