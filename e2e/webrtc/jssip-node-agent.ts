// A JsSIP user agent in Node, as a browser would run it, driven over stdin/stdout (one JSON
// object a line) by e2e/webrtc/jssip-node.e2e-spec.ts. JsSIP's own RTCSession runs on werift's
// RTCPeerConnection (node-webrtc-media.ts) and reaches the edge over secure WebSocket, checking
// the edge's certificate against the test's CA. Compiled at test time, never part of the build.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import JsSIP from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import WebSocket from 'ws';
import { installNodeWebrtc, mediaStats, startMedia, stopMedia } from './node-webrtc-media';
import type { ListenablePeerConnection } from './node-webrtc-media';

interface Settings {
  readonly wsUrl: string;
  readonly user: string;
  readonly password: string;
  readonly domain: string;
  readonly caFile?: string;
}

const settings = JSON.parse(process.argv[2] ?? '{}') as Settings;
const emit = (event: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(event)}\n`);
};

installNodeWebrtc();
const ca = settings.caFile === undefined ? undefined : readFileSync(settings.caFile);
// JsSIP opens `new WebSocket(url, 'sip')` as a browser does; a browser trusts the edge's
// certificate through its CA store, this one through the test's CA.
(globalThis as { WebSocket?: unknown }).WebSocket = class extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols, ca === undefined ? {} : { ca });
  }
};

const mediaOptions = {
  mediaConstraints: { audio: true, video: false },
  // JsSIP passes null when unset, which werift's createOffer/createAnswer cannot take.
  rtcOfferConstraints: {},
  rtcAnswerConstraints: {},
  // No STUN server: the platform is ICE-lite and answers on the host's addresses.
  pcConfig: { iceServers: [] },
};

let current: RTCSession | undefined;

function follow(session: RTCSession): void {
  current = session;
  session.on('confirmed', () => {
    startMedia(session.connection as unknown as ListenablePeerConnection);
    emit({ event: 'established' });
  });
  // Gathering ends as soon as the host candidates are in: nothing else can come on loopback.
  session.on('icecandidate', (event: { ready: () => void }) => event.ready());
  const ended = (cause: string): void => {
    stopMedia();
    emit({ event: 'terminated', cause });
  };
  session.on('ended', (event: { cause: string }) => ended(event.cause));
  session.on('failed', (event: { cause: string }) => ended(event.cause));
}

const ua = new JsSIP.UA({
  sockets: [new JsSIP.WebSocketInterface(settings.wsUrl)],
  uri: `sip:${settings.user}@${settings.domain}`,
  password: settings.password,
  register: true,
  register_expires: 300,
});
ua.on('connected', () => emit({ event: 'connected' }));
ua.on('registered', () => emit({ event: 'registered' }));
ua.on('registrationFailed', (event) =>
  emit({ event: 'error', message: `registration failed: ${String(event.cause)}` }),
);
ua.on('newRTCSession', (event: { originator: string; session: RTCSession }) => {
  if (event.originator !== 'remote') return;
  follow(event.session);
  emit({ event: 'incoming', from: event.session.remote_identity.uri.user });
});

async function main(): Promise<void> {
  ua.start();
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const command = JSON.parse(line) as { cmd: string; target?: string };
    if (command.cmd === 'call') {
      follow(ua.call(`sip:${command.target}@${settings.domain}`, mediaOptions));
    } else if (command.cmd === 'answer') {
      current?.answer(mediaOptions);
    } else if (command.cmd === 'hangup') {
      current?.terminate();
    } else if (command.cmd === 'stats') {
      emit(mediaStats());
    } else if (command.cmd === 'quit') {
      stopMedia();
      ua.unregister();
      ua.stop();
      setTimeout(() => process.exit(0), 300);
    }
  }
}

main().catch((error: unknown) => {
  emit({ event: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
