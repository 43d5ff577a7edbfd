import {
  RTCPeerConnection,
  RTCRtpCodecParameters,
  type RTCRtpTransceiver,
  RtpHeader,
  type RtpPacket,
  useSdesMid,
} from 'werift';

/** The codecs a browser offers, as Chromium orders them (Opus first). */
export const BROWSER_CODECS = [
  new RTCRtpCodecParameters({
    mimeType: 'audio/opus',
    clockRate: 48000,
    channels: 2,
    payloadType: 111,
  }),
  new RTCRtpCodecParameters({
    mimeType: 'audio/PCMU',
    clockRate: 8000,
    channels: 1,
    payloadType: 0,
  }),
  new RTCRtpCodecParameters({
    mimeType: 'audio/PCMA',
    clockRate: 8000,
    channels: 1,
    payloadType: 8,
  }),
  new RTCRtpCodecParameters({
    mimeType: 'audio/telephone-event',
    clockRate: 48000,
    payloadType: 110,
  }),
  new RTCRtpCodecParameters({
    mimeType: 'audio/telephone-event',
    clockRate: 8000,
    payloadType: 126,
  }),
];

export const OPUS_ONLY_CODECS = [BROWSER_CODECS[0], BROWSER_CODECS[3]];

/**
 * A browser's peer connection played by werift (a full ICE agent, DTLS-SRTP, its own SRTP):
 * it offers or answers as Chromium would, on loopback only, and sends and records raw RTP so
 * that a test sees payload types, sequence numbers and payloads as they cross the platform.
 */
export class WeriftBrowser {
  readonly pc: RTCPeerConnection;
  readonly transceiver: RTCRtpTransceiver;
  readonly received: RtpPacket[] = [];
  readonly #ssrc = 0x0b0b0b0b;
  #seq = 1000;

  constructor(codecs = BROWSER_CODECS) {
    this.pc = new RTCPeerConnection({
      codecs: { audio: codecs },
      // No STUN server: the default one is on the internet, and loopback needs none.
      iceServers: [],
      headerExtensions: { audio: [useSdesMid()] },
      iceUseIpv6: false,
      iceAdditionalHostAddresses: ['127.0.0.1'],
      // Loopback only: the test host's other addresses are not for test traffic.
      iceFilterCandidatePair: (pair) => pair.localCandidate.host === '127.0.0.1',
    });
    this.transceiver = this.pc.addTransceiver('audio', { direction: 'sendrecv' });
    this.pc.ontrack = ({ track }): void => {
      track.onReceiveRtp.subscribe((rtp) => this.received.push(rtp));
    };
  }

  /** An offer with every candidate gathered (no trickle over SIP). */
  async offer(): Promise<string> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    return this.#gathered();
  }

  async answer(offer: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offer });
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    return this.#gathered();
  }

  async accept(answer: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answer });
  }

  /** Resolves once ICE and DTLS are up. */
  async connected(timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pc.connectionState !== 'connected') {
      if (Date.now() > deadline)
        throw new Error(`still ${this.pc.connectionState} after ${timeoutMs} ms`);
      if (this.pc.connectionState === 'failed') throw new Error('the peer connection failed');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Sends one RTP packet with the given payload type, as is (no codec rewrite). */
  async send(
    payloadType: number,
    payload: Buffer,
    timestamp: number,
    marker = false,
  ): Promise<void> {
    const header = new RtpHeader({
      payloadType,
      sequenceNumber: this.#seq++ & 0xffff,
      timestamp,
      ssrc: this.#ssrc,
      marker,
    });
    await this.transceiver.sender.dtlsTransport.sendRtp(payload, header);
  }

  async close(): Promise<void> {
    await this.pc.close();
  }

  async #gathered(): Promise<string> {
    const deadline = Date.now() + 5_000;
    while (this.pc.iceGatheringState !== 'complete' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const sdp = this.pc.localDescription?.sdp;
    if (sdp === undefined) throw new Error('no local description');
    return sdp;
  }
}
