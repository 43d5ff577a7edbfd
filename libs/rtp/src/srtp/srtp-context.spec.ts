import { randomBytes } from 'node:crypto';
import { RtpHeader, SrtcpSession, SrtpSession } from 'werift';
import { AesCmKeystream } from './aes-cm-keystream';
import { SrtpContext } from './srtp-context';
import { deriveSrtpKeys, splitDtlsSrtpKeyingMaterial } from './srtp-keys';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s/g, ''), 'hex');

function rtp(seq: number, ssrc = 0x11223344, payload = Buffer.alloc(160, 0xd5)): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = 8;
  header.writeUInt16BE(seq, 2);
  header.writeUInt32BE(seq * 160, 4);
  header.writeUInt32BE(ssrc, 8);
  return Buffer.concat([header, payload]);
}

const RR = hex('81c90007 11223344 deadbeef 00000000 00000000 00000000 00000000 00000000');

describe(SrtpContext.name, () => {
  it('derives the session keys of RFC 3711 appendix B.3', () => {
    const keys = deriveSrtpKeys(
      hex('E1F97A0D3E018BE0D64FA32C06DE4139'),
      hex('0EC675AD498AFEEBB6960B3AABE6'),
    );
    expect(keys.rtp.encryptionKey.toString('hex')).toBe('c61e7a93744f39ee10734afe3ff7a087');
    expect(keys.rtp.salt.toString('hex')).toBe('30cbbc08863d8c85d49db34a9ae1');
    expect(keys.rtp.authenticationKey.toString('hex')).toBe(
      'cebe321f6ff7716b6fd4ab49af256a156d38baa4',
    );
  });

  it('produces the AES-CM keystream of RFC 3711 appendix B.2', () => {
    const stream = new AesCmKeystream(
      hex('2B7E151628AED2A6ABF7158809CF4F3C'),
      hex('F0F1F2F3F4F5F6F7F8F9FAFBFCFD'),
    );
    const zeros = Buffer.alloc(48);
    stream.apply(zeros, 0, 48, 0, 0, 0);
    expect(zeros.toString('hex')).toBe(
      'e03ead0935c95e80e166b16dd92b4eb4' +
        'd23513162b02d0f72a43a2fe4a5f97ab' +
        '41e95b3bb0a2e8dd477901e4fca894c0',
    );
  });

  describe('against werift, an independent SRTP implementation', () => {
    const material = randomBytes(60);
    const server = splitDtlsSrtpKeyingMaterial(material, 'server');
    const clientKey = material.subarray(0, 16);
    const serverKey = material.subarray(16, 32);
    const clientSalt = material.subarray(32, 46);
    const serverSalt = material.subarray(46);
    const werift = new SrtpSession({
      keys: {
        localMasterKey: clientKey,
        localMasterSalt: clientSalt,
        remoteMasterKey: serverKey,
        remoteMasterSalt: serverSalt,
      },
      profile: 1,
    });
    const weriftRtcp = new SrtcpSession({
      keys: {
        localMasterKey: clientKey,
        localMasterSalt: clientSalt,
        remoteMasterKey: serverKey,
        remoteMasterSalt: serverSalt,
      },
      profile: 1,
    });

    it('protects RTP that werift unprotects, across a sequence number wrap', () => {
      const ours = new SrtpContext(server.local);
      for (const seq of [65533, 65534, 65535, 0, 1, 2]) {
        const plain = rtp(seq, 0x11223344, randomBytes(160));
        const decrypted = werift.decrypt(ours.protectRtp(plain));
        expect(Buffer.compare(decrypted, plain)).toBe(0);
      }
    });

    it('unprotects what werift protects, refusing a replay and a forged packet', () => {
      const ours = new SrtpContext(server.remote);
      for (const seq of [100, 101, 103, 102]) {
        const plain = rtp(seq, 0x55667788, randomBytes(160));
        const header = new RtpHeader({
          payloadType: 8,
          sequenceNumber: seq,
          timestamp: seq * 160,
          ssrc: 0x55667788,
        });
        const protectedPacket = Buffer.from(werift.encrypt(plain.subarray(12), header));
        const copy = Buffer.from(protectedPacket);
        expect(Buffer.compare(ours.unprotectRtp(protectedPacket) ?? Buffer.alloc(0), plain)).toBe(
          0,
        );
        expect(ours.unprotectRtp(copy)).toBeNull();
        expect(ours.lastRejection).toBe('replay');
      }
      const forged = Buffer.from(
        werift.encrypt(
          randomBytes(160),
          new RtpHeader({ payloadType: 8, sequenceNumber: 104, timestamp: 1, ssrc: 0x55667788 }),
        ),
      );
      forged[20] ^= 1;
      expect(ours.unprotectRtp(forged)).toBeNull();
      expect(ours.lastRejection).toBe('authentication');
    });

    it('protects and unprotects SRTCP both ways with werift', () => {
      const sending = new SrtpContext(server.local);
      expect(Buffer.compare(weriftRtcp.decrypt(sending.protectRtcp(RR)), RR)).toBe(0);
      const receiving = new SrtpContext(server.remote);
      const fromWerift = Buffer.from(weriftRtcp.encrypt(Buffer.from(RR)));
      expect(Buffer.compare(receiving.unprotectRtcp(fromWerift) ?? Buffer.alloc(0), RR)).toBe(0);
    });
  });

  it('refuses a packet shorter than a header and its tag', () => {
    const context = new SrtpContext(deriveSrtpKeys(randomBytes(16), randomBytes(14)));
    expect(context.unprotectRtp(Buffer.alloc(20))).toBeNull();
    expect(context.lastRejection).toBe('short');
    expect(context.unprotectRtcp(Buffer.alloc(15))).toBeNull();
  });
});
