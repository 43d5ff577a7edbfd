// The media side of a WebRTC client running in Node for the e2e tests, shared by the SIP.js and
// JsSIP agents: werift's browser polyfill (RTCPeerConnection, getUserMedia) with a "microphone"
// that plays a 1 kHz tone in G.711 A-law, and a record of what the remote side sends. Compiled
// to an ES module at test time with the agents (see node-agent-process.ts), never built.
import {
  type CandidatePair,
  MediaStreamTrack,
  RTCRtpCodecParameters,
  RtpHeader,
  RtpPacket,
  type RtpPacket as ReceivedPacket,
} from 'werift';
import { createCallbackRegister, installPolyfill } from 'werift/polyfill';
// Resolved to libs/rtp/src/codec/g711.ts compiled beside this module (node-agent-process.ts).
import { decodeG711, encodeG711 } from '@pbx/rtp';

/** The current call's microphone: user agents stop the tracks of a call when it ends. */
let microphone = new MediaStreamTrack({ kind: 'audio' });
let tone: NodeJS.Timeout | undefined;
let sent = 0;
const heard = { packets: 0, payloadTypes: [] as number[], energy: 0, samples: 0 };

/** Installs werift's RTCPeerConnection and getUserMedia as a browser's, on loopback only. */
export function installNodeWebrtc(): void {
  installPolyfill({
    mediaRegister: [
      createCallbackRegister({
        mimeType: 'audio/PCMA',
        kinds: ['audio'],
        clockRate: 8000,
        payloadType: 8,
        createTracks: () => {
          microphone = new MediaStreamTrack({ kind: 'audio' });
          return Promise.resolve([microphone]);
        },
      }),
    ],
    peerConnectionConfig: {
      codecs: {
        audio: [
          new RTCRtpCodecParameters({ mimeType: 'audio/PCMA', clockRate: 8000, payloadType: 8 }),
          new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, payloadType: 0 }),
          new RTCRtpCodecParameters({
            mimeType: 'audio/telephone-event',
            clockRate: 8000,
            payloadType: 101,
          }),
        ],
      },
      iceUseIpv6: false,
      iceAdditionalHostAddresses: ['127.0.0.1'],
      // The test host's traffic stays on loopback.
      iceFilterCandidatePair: (pair: CandidatePair) => pair.localCandidate.host === '127.0.0.1',
    },
  });
  // User agents announce remote tracks on a MediaStream with this DOM event, which Node lacks.
  class MediaStreamTrackEvent extends Event {
    readonly track: unknown;
    constructor(type: string, init: { track: unknown }) {
      super(type);
      this.track = init.track;
    }
  }
  const scope = globalThis as unknown as {
    MediaStreamTrackEvent?: unknown;
    MediaStream?: { prototype: Record<string, unknown> };
  };
  scope.MediaStreamTrackEvent ??= MediaStreamTrackEvent;
  // werift's MediaStream is no EventTarget; the agents have no listeners on it.
  const streamPrototype = scope.MediaStream?.prototype;
  if (streamPrototype !== undefined && typeof streamPrototype.dispatchEvent !== 'function') {
    streamPrototype.dispatchEvent = (): boolean => true;
  }
}

/** A peer connection as werift's polyfill makes it, as far as listening goes. */
export interface ListenablePeerConnection {
  getReceivers(): {
    track: { onReceiveRtp: { subscribe(f: (p: ReceivedPacket) => void): void } };
  }[];
}

/** Counts what arrives on the call's receivers and starts the microphone's tone. */
export function startMedia(peerConnection: ListenablePeerConnection): void {
  for (const receiver of peerConnection.getReceivers()) {
    receiver.track.onReceiveRtp.subscribe((packet) => {
      heard.packets++;
      const pt = packet.header.payloadType;
      if (!heard.payloadTypes.includes(pt)) heard.payloadTypes.push(pt);
      if (pt !== 0 && pt !== 8) return;
      const samples = new Int16Array(packet.payload.length);
      decodeG711(pt === 8 ? 'pcma' : 'pcmu', packet.payload, samples);
      for (const sample of samples) heard.energy += sample * sample;
      heard.samples += samples.length;
    });
  }
  let seq = 1;
  let phase = 0;
  clearInterval(tone);
  tone = setInterval(() => {
    const pcm = new Int16Array(160);
    for (let i = 0; i < 160; i++, phase++) {
      pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 1000 * phase) / 8000));
    }
    const payload = Buffer.alloc(160);
    encodeG711('pcma', pcm, payload);
    const header = new RtpHeader({
      payloadType: 8,
      sequenceNumber: seq++ & 0xffff,
      timestamp: phase,
      ssrc: 0x5150,
    });
    microphone.writeRtp(new RtpPacket(header, payload));
    sent++;
  }, 20);
}

export function stopMedia(): void {
  clearInterval(tone);
  tone = undefined;
}

/** What the agents report for `stats`: packets both ways, payload types heard, the RMS level. */
export function mediaStats(): Record<string, unknown> {
  return {
    event: 'stats',
    sent,
    received: heard.packets,
    payloadTypes: heard.payloadTypes,
    rms: Math.sqrt(heard.energy / Math.max(1, heard.samples)),
  };
}
