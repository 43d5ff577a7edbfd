import { readFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

const SIP_JS_LIB = join(__dirname, '..', '..', 'node_modules', 'sip.js', 'lib');

/**
 * The smallest browser phone on SIP.js's own ES modules (SIP.js ships no bundle: the page imports
 * node_modules/sip.js/lib as modules): window.phone registers over WebSocket, calls or answers,
 * hangs up, and reads inbound audio from RTCPeerConnection.getStats(). Browser code as text: the
 * project's TypeScript has no DOM types.
 */
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SIP.js test phone</title></head>
<body><audio id="remote" autoplay></audio>
<script type="module">
import { Inviter, Registerer, RegistererState, SessionState, UserAgent } from '/sip.js/index.js';

const phone = { state: 'idle', session: undefined, autoAnswer: false };
window.phone = phone;

function attach(session) {
  session.stateChange.addListener((state) => {
    phone.state = state;
    if (state === SessionState.Established) {
      const stream = new MediaStream();
      const pc = session.sessionDescriptionHandler.peerConnection;
      for (const receiver of pc.getReceivers()) if (receiver.track) stream.addTrack(receiver.track);
      document.getElementById('remote').srcObject = stream;
    }
  });
}

phone.register = async (wsUrl, user, password, domain) => {
  phone.domain = domain;
  phone.ua = new UserAgent({
    uri: UserAgent.makeURI('sip:' + user + '@' + domain),
    transportOptions: { server: wsUrl },
    authorizationUsername: user,
    authorizationPassword: password,
    logLevel: 'warn',
    sessionDescriptionHandlerFactoryOptions: {
      peerConnectionConfiguration: { iceServers: [] },
      iceGatheringTimeout: 500,
    },
    delegate: {
      onInvite(invitation) {
        phone.session = invitation;
        attach(invitation);
        if (phone.autoAnswer) {
          invitation.accept({ sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } });
        }
      },
    },
  });
  // SIP.js 0.21 answers the last digest challenge and knows MD5 only: keep the MD5 challenges.
  const deliver = phone.ua.transport.onMessage;
  phone.ua.transport.onMessage = (message) =>
    deliver(message.split('\\r\\n').filter((l) => !/^(WWW|Proxy)-Authenticate:.*algorithm=SHA-256/i.test(l)).join('\\r\\n'));
  await phone.ua.start();
  const registerer = new Registerer(phone.ua);
  await new Promise((resolve, reject) => {
    registerer.stateChange.addListener((state) => { if (state === RegistererState.Registered) resolve(); });
    registerer.register({ requestDelegate: { onReject: (r) => {
      const status = r.message.statusCode;
      if (status !== 401 && status !== 407) reject(new Error('REGISTER answered ' + status));
    } } }).catch(reject);
  });
};

phone.call = async (target) => {
  const inviter = new Inviter(phone.ua, UserAgent.makeURI('sip:' + target + '@' + phone.domain), {
    sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } },
  });
  phone.session = inviter;
  attach(inviter);
  await inviter.invite();
};

phone.hangup = async () => {
  if (phone.session && phone.session.state === SessionState.Established) await phone.session.bye();
};

phone.inbound = async () => {
  const handler = phone.session && phone.session.sessionDescriptionHandler;
  if (!handler || !handler.peerConnection) return undefined;
  let found;
  (await handler.peerConnection.getStats()).forEach((s) => {
    if (s.type === 'inbound-rtp' && s.kind === 'audio') {
      found = { packetsReceived: s.packetsReceived, audioLevel: s.audioLevel || 0, totalAudioEnergy: s.totalAudioEnergy || 0 };
    }
  });
  return found;
};
window.phoneReady = true;
</script></body></html>`;

/** Serves the page and SIP.js's modules on 127.0.0.1; close() stops it. */
export class SipJsTestPage {
  private constructor(private readonly server: Server) {}

  static async start(): Promise<SipJsTestPage> {
    const server = createServer((request, response) => {
      void (async (): Promise<void> => {
        const path = decodeURIComponent(new URL(request.url ?? '/', 'http://page').pathname);
        if (path === '/') {
          response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          response.end(PAGE);
          return;
        }
        const file = normalize(join(SIP_JS_LIB, path.replace(/^\/sip\.js\//, '')));
        if (!path.startsWith('/sip.js/') || !file.startsWith(SIP_JS_LIB) || !file.endsWith('.js')) {
          response.writeHead(404).end();
          return;
        }
        try {
          const body = await readFile(file);
          response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
          response.end(body);
        } catch {
          response.writeHead(404).end();
        }
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new SipJsTestPage(server);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
