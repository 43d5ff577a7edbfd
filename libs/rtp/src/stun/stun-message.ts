import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { crc32 } from './crc32';

/**
 * The part of STUN (RFC 8489) an ICE-lite agent needs (RFC 8445 §2.5): read the Binding
 * requests a browser sends as connectivity checks and consent checks (RFC 7675), check their
 * short-term credentials, and answer with a Binding success response.
 */
export const STUN_HEADER_LENGTH = 20;
const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const FINGERPRINT_XOR = 0x5354554e;

const ATTRIBUTE = {
  username: 0x0006,
  messageIntegrity: 0x0008,
  xorMappedAddress: 0x0020,
  priority: 0x0024,
  useCandidate: 0x0025,
  fingerprint: 0x8028,
  iceControlled: 0x8029,
  iceControlling: 0x802a,
} as const;

/** RFC 7983 §7: a datagram whose first octet is 0-3 on a WebRTC port is STUN. */
export function isStunPacket(packet: Uint8Array): boolean {
  return (
    packet.length >= STUN_HEADER_LENGTH &&
    packet[0] < 4 &&
    ((packet[4] << 24) | (packet[5] << 16) | (packet[6] << 8) | packet[7]) >>> 0 === MAGIC_COOKIE
  );
}

/** A Binding request as an ICE connectivity check (RFC 8445 §7.1.1). */
export interface StunBindingRequest {
  readonly transactionId: Buffer;
  /** `<receiver ufrag>:<sender ufrag>` (RFC 8445 §7.2.2). */
  readonly username: string;
  readonly priority: number | undefined;
  /** USE-CANDIDATE: the controlling agent nominates this pair (RFC 8445 §7.1.2). */
  readonly useCandidate: boolean;
  readonly role: 'controlling' | 'controlled' | undefined;
  /** Offset of the MESSAGE-INTEGRITY attribute; -1 when absent. */
  readonly integrityOffset: number;
}

/** Reads a Binding request; null for any other STUN message or a malformed one. */
export function parseStunBindingRequest(packet: Uint8Array): StunBindingRequest | null {
  if (!isStunPacket(packet)) return null;
  const view = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
  if (view.readUInt16BE(0) !== BINDING_REQUEST) return null;
  const length = view.readUInt16BE(2);
  if (length % 4 !== 0 || STUN_HEADER_LENGTH + length !== packet.length) return null;
  let username: string | undefined;
  let priority: number | undefined;
  let useCandidate = false;
  let role: StunBindingRequest['role'];
  let integrityOffset = -1;
  let at = STUN_HEADER_LENGTH;
  while (at + 4 <= packet.length) {
    const type = view.readUInt16BE(at);
    const size = view.readUInt16BE(at + 2);
    const value = at + 4;
    if (value + size > packet.length) return null;
    // Attributes after MESSAGE-INTEGRITY are ignored except FINGERPRINT (RFC 8489 §14.5).
    if (integrityOffset < 0 || type === ATTRIBUTE.fingerprint) {
      switch (type) {
        case ATTRIBUTE.username:
          username = view.toString('utf8', value, value + size);
          break;
        case ATTRIBUTE.priority:
          if (size === 4) priority = view.readUInt32BE(value);
          break;
        case ATTRIBUTE.useCandidate:
          useCandidate = true;
          break;
        case ATTRIBUTE.iceControlling:
          role = 'controlling';
          break;
        case ATTRIBUTE.iceControlled:
          role = 'controlled';
          break;
        case ATTRIBUTE.messageIntegrity:
          if (size !== 20) return null;
          integrityOffset = at;
          break;
        case ATTRIBUTE.fingerprint:
          if (size !== 4 || value + 4 !== packet.length) return null;
          if ((crc32(packet, 0, at) ^ FINGERPRINT_XOR) >>> 0 !== view.readUInt32BE(value)) {
            return null;
          }
          break;
        default:
          break;
      }
    }
    at = value + ((size + 3) & ~3);
  }
  if (username === undefined) return null;
  return {
    transactionId: Buffer.from(view.subarray(8, 20)),
    username,
    priority,
    useCandidate,
    role,
    integrityOffset,
  };
}

/**
 * RFC 8489 §14.5: HMAC-SHA1 under the short-term password over the message up to
 * MESSAGE-INTEGRITY, with the header's length counting up to the end of that attribute.
 */
export function hasValidIntegrity(
  packet: Uint8Array,
  request: StunBindingRequest,
  password: string,
): boolean {
  const at = request.integrityOffset;
  if (at < 0) return false;
  const header = Buffer.from(packet.subarray(0, STUN_HEADER_LENGTH));
  header.writeUInt16BE(at + 24 - STUN_HEADER_LENGTH, 2);
  const mac = createHmac('sha1', password)
    .update(header)
    .update(packet.subarray(STUN_HEADER_LENGTH, at))
    .digest();
  return timingSafeEqual(mac, packet.subarray(at + 4, at + 24));
}

/**
 * The Binding success response to `request`: XOR-MAPPED-ADDRESS of where it came from,
 * MESSAGE-INTEGRITY under the platform's password, FINGERPRINT (RFC 8445 §7.3.1.4).
 */
export function buildStunBindingSuccess(
  transactionId: Uint8Array,
  address: string,
  port: number,
  password: string,
): Buffer {
  const family = isIPv4(address) ? 1 : isIPv6(address) ? 2 : 0;
  if (family === 0) throw new RangeError(`${address} is not an IP address`);
  const addressLength = family === 1 ? 4 : 16;
  const mapped = Buffer.alloc(4 + 4 + addressLength);
  mapped.writeUInt16BE(ATTRIBUTE.xorMappedAddress, 0);
  mapped.writeUInt16BE(4 + addressLength, 2);
  mapped[5] = family;
  mapped.writeUInt16BE(port ^ (MAGIC_COOKIE >>> 16), 6);
  const raw = family === 1 ? ipv4Bytes(address) : ipv6Bytes(address);
  const xorKey = Buffer.alloc(16);
  xorKey.writeUInt32BE(MAGIC_COOKIE, 0);
  xorKey.set(transactionId, 4);
  for (let i = 0; i < addressLength; i++) mapped[8 + i] = raw[i] ^ xorKey[i];
  const integrity = Buffer.alloc(24);
  integrity.writeUInt16BE(ATTRIBUTE.messageIntegrity, 0);
  integrity.writeUInt16BE(20, 2);
  const fingerprint = Buffer.alloc(8);
  fingerprint.writeUInt16BE(ATTRIBUTE.fingerprint, 0);
  fingerprint.writeUInt16BE(4, 2);
  const header = Buffer.alloc(STUN_HEADER_LENGTH);
  header.writeUInt16BE(BINDING_SUCCESS, 0);
  header.writeUInt32BE(MAGIC_COOKIE, 4);
  header.set(transactionId, 8);
  header.writeUInt16BE(mapped.length + integrity.length, 2);
  createHmac('sha1', password).update(header).update(mapped).digest().copy(integrity, 4);
  header.writeUInt16BE(mapped.length + integrity.length + fingerprint.length, 2);
  const message = Buffer.concat([header, mapped, integrity, fingerprint]);
  const crc = (crc32(message, 0, message.length - 8) ^ FINGERPRINT_XOR) >>> 0;
  message.writeUInt32BE(crc, message.length - 4);
  return message;
}

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

function ipv6Bytes(address: string): Buffer {
  const [head, tail = ''] = address.split('::');
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = groups(tail);
  // An IPv4-mapped tail (::ffff:1.2.3.4) counts as two groups.
  const last = right.length > 0 ? right[right.length - 1] : left[left.length - 1];
  const expand = (parts: string[]): string[] =>
    parts.flatMap((p) => {
      if (p !== last || !isIPv4(p)) return [p];
      const b = ipv4Bytes(p);
      return [((b[0] << 8) | b[1]).toString(16), ((b[2] << 8) | b[3]).toString(16)];
    });
  const l = expand(left);
  const r = expand(right);
  const all = address.includes('::')
    ? [...l, ...Array<string>(8 - l.length - r.length).fill('0'), ...r]
    : l;
  const out = Buffer.alloc(16);
  all.forEach((group, i) => out.writeUInt16BE(parseInt(group, 16), 2 * i));
  return out;
}
