// A SIP.js user agent in Node, as a browser would run it, driven over stdin/stdout (one JSON
// object a line) by e2e/webrtc/sipjs-node.e2e-spec.ts. Its media is werift's browser polyfill:
// SIP.js's own web SessionDescriptionHandler runs unchanged on werift's RTCPeerConnection, and
// the "microphone" is a track fed a 1 kHz tone in G.711 A-law. It records what it receives.
// Compiled to an ES module at test time (SIP.js is ESM only), never part of the build.
import { createInterface } from 'node:readline';
import {
  Invitation,
  Inviter,
  Registerer,
  RegistererState,
  SessionState,
  UserAgent,
  type Session,
} from 'sip.js';
import {
  type CandidatePair,
  MediaStreamTrack,
  RTCRtpCodecParameters,
  RtpHeader,
  RtpPacket,
  type RtpPacket as ReceivedPacket,
} from 'werift';
import { createCallbackRegister, installPolyfill } from 'werift/polyfill';
import WebSocket from 'ws';

interface Settings {
  readonly wsUrl: string;
  readonly user: string;
  readonly password: string;
  readonly domain: string;
}

const settings = JSON.parse(process.argv[2] ?? '{}') as Settings;
const emit = (event: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(event)}\n`);
};

/** ITU-T G.711 A-law of one 16-bit sample. */
function alaw(sample: number): number {
  let value = sample >> 3;
  let mask = 0xd5;
  if (value < 0) {
    mask = 0x55;
    value = -value - 1;
  }
  const ends = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
  let segment = 0;
  while (segment < 8 && value > ends[segment]) segment++;
  if (segment >= 8) return 0x7f ^ mask;
  return (((segment << 4) | ((value >> (segment < 2 ? 1 : segment)) & 0x0f)) ^ mask) & 0xff;
}

function unalaw(code: number): number {
  const value = code ^ 0x55;
  let magnitude = (value & 0x0f) << 4;
  const segment = (value & 0x70) >> 4;
  if (segment === 0) magnitude += 8;
  else if (segment === 1) magnitude += 0x108;
  else magnitude = (magnitude + 0x108) << (segment - 1);
  return (value & 0x80) !== 0 ? magnitude : -magnitude;
}

function unmulaw(code: number): number {
  const value = ~code & 0xff;
  const magnitude = ((((value & 0x0f) << 3) + 0x84) << ((value >> 4) & 0x07)) - 0x84;
  return (value & 0x80) !== 0 ? -magnitude : magnitude;
}

/** The current call's microphone: SIP.js stops the tracks of a call when it ends. */
let microphone = new MediaStreamTrack({ kind: 'audio' });
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
(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
// SIP.js announces remote tracks on its MediaStream with this DOM event, which Node lacks.
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
// werift's MediaStream is no EventTarget; SIP.js only notifies listeners the agent has none of.
const streamPrototype = scope.MediaStream?.prototype;
if (streamPrototype !== undefined && typeof streamPrototype.dispatchEvent !== 'function') {
  streamPrototype.dispatchEvent = (): boolean => true;
}

let tone: NodeJS.Timeout | undefined;
let sent = 0;
const heard = { packets: 0, payloadTypes: [] as number[], energy: 0, samples: 0 };

function startTone(): void {
  let seq = 1;
  let phase = 0;
  tone = setInterval(() => {
    const payload = Buffer.alloc(160);
    for (let i = 0; i < 160; i++, phase++) {
      payload[i] = alaw(Math.round(8000 * Math.sin((2 * Math.PI * 1000 * phase) / 8000)));
    }
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

function listen(session: Session): void {
  session.stateChange.addListener((state) => {
    if (state === SessionState.Established) {
      const handler = session.sessionDescriptionHandler as unknown as {
        peerConnection: {
          getReceivers(): {
            track: { onReceiveRtp: { subscribe(f: (p: ReceivedPacket) => void): void } };
          }[];
        };
      };
      for (const receiver of handler.peerConnection.getReceivers()) {
        receiver.track.onReceiveRtp.subscribe((packet) => {
          heard.packets++;
          const pt = packet.header.payloadType;
          if (!heard.payloadTypes.includes(pt)) heard.payloadTypes.push(pt);
          if (pt !== 0 && pt !== 8) return;
          for (const code of packet.payload) {
            const sample = pt === 8 ? unalaw(code) : unmulaw(code);
            heard.energy += sample * sample;
            heard.samples++;
          }
        });
      }
      startTone();
      emit({ event: 'established' });
    }
    if (state === SessionState.Terminated) {
      clearInterval(tone);
      emit({ event: 'terminated' });
    }
  });
}

let incoming: Invitation | undefined;
let current: Session | undefined;
const userAgent = new UserAgent({
  uri: UserAgent.makeURI(`sip:${settings.user}@${settings.domain}`),
  transportOptions: { server: settings.wsUrl },
  authorizationUsername: settings.user,
  authorizationPassword: settings.password,
  logLevel: process.env.SIPJS_LOG_LEVEL === 'debug' ? 'debug' : 'error',
  sessionDescriptionHandlerFactoryOptions: {
    // No STUN server (SIP.js defaults to one on the internet): the platform is ICE-lite.
    peerConnectionConfiguration: { iceServers: [] },
    iceGatheringTimeout: 1000,
  },
  delegate: {
    onInvite(invitation: Invitation): void {
      incoming = invitation;
      current = invitation;
      listen(invitation);
      emit({ event: 'incoming', from: invitation.remoteIdentity.uri.user });
    },
  },
});

// SIP.js 0.21 answers the last digest challenge of a response and knows MD5 only, while the
// platform challenges SHA-256 and MD5 (RFC 8760): keep the MD5 challenges, as the web phone does.
const transport = userAgent.transport;
const deliver = transport.onMessage;
if (deliver !== undefined) {
  transport.onMessage = (message: string): void =>
    deliver(
      message
        .split('\r\n')
        .filter((line) => !/^(WWW|Proxy)-Authenticate:.*algorithm=SHA-256/i.test(line))
        .join('\r\n'),
    );
}

async function main(): Promise<void> {
  await userAgent.start();
  emit({ event: 'connected' });
  const registerer = new Registerer(userAgent, { expires: 300 });
  registerer.stateChange.addListener((state) => {
    if (state === RegistererState.Registered) emit({ event: 'registered' });
  });
  await registerer.register({
    requestDelegate: {
      onReject: (response) => {
        // A digest challenge is answered by SIP.js itself; anything else is a failure.
        const status = response.message.statusCode;
        if (status !== 401 && status !== 407)
          emit({ event: 'error', message: `REGISTER answered ${status}` });
      },
    },
  });
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const command = JSON.parse(line) as { cmd: string; target?: string };
    if (command.cmd === 'call') {
      const target = UserAgent.makeURI(`sip:${command.target}@${settings.domain}`);
      if (target === undefined) throw new Error(`bad target ${command.target}`);
      const inviter = new Inviter(userAgent, target, {
        sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } },
      });
      current = inviter;
      listen(inviter);
      await inviter.invite();
    } else if (command.cmd === 'answer') {
      await incoming?.accept({
        sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } },
      });
    } else if (command.cmd === 'hangup') {
      if (current instanceof Inviter || current instanceof Invitation) await current.bye();
    } else if (command.cmd === 'stats') {
      emit({
        event: 'stats',
        sent,
        received: heard.packets,
        payloadTypes: heard.payloadTypes,
        rms: Math.sqrt(heard.energy / Math.max(1, heard.samples)),
      });
    } else if (command.cmd === 'quit') {
      clearInterval(tone);
      await registerer.unregister().catch(() => undefined);
      await userAgent.stop();
      process.exit(0);
    }
  }
}

main().catch((error: unknown) => {
  emit({ event: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
