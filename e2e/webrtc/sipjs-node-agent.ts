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
import WebSocket from 'ws';
import { installNodeWebrtc, mediaStats, startMedia, stopMedia } from './node-webrtc-media';
import type { ListenablePeerConnection } from './node-webrtc-media';

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

installNodeWebrtc();
(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;

function listen(session: Session): void {
  session.stateChange.addListener((state) => {
    if (state === SessionState.Established) {
      const handler = session.sessionDescriptionHandler as unknown as {
        peerConnection: ListenablePeerConnection;
      };
      startMedia(handler.peerConnection);
      emit({ event: 'established' });
    }
    if (state === SessionState.Terminated) {
      stopMedia();
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

// SIP.js 0.21 answers the last digest challenge of a response and knows MD5 only: the edge
// puts MD5 last over WebSocket (PBX_SIP_WS_DIGEST_ALGORITHMS), so it needs no help here.
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
      emit(mediaStats());
    } else if (command.cmd === 'quit') {
      stopMedia();
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
