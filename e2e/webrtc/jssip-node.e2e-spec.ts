import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  eventually,
  freePort,
  freeUdpPort,
  selfSignedCertificate,
  sippAvailable,
  startSipp,
  type SippResult,
} from '@pbx/testing';
import { scenario, sippAuth, sippRegister } from '../sip/sip-platform';
import { startWebPhonePlatform, type WebPhonePlatform } from '../web-phone/web-phone-platform';
import { NodeAgent } from './node-agent-process';

// Issue 6: SIP over secure WebSocket (RFC 7118, WSS) from a JsSIP client, the other browser SIP
// library the issue names. The client checks the edge's certificate against the test's CA, its
// media is a werift peer connection bridged to a sipp phone's G.711: speech arrives in Node and
// the edge's call log counts the client's packets relayed to the phone.
const TOKEN = 'e2e-operator-token-webrtc-jssip-0123456789abcdef01234';
const suite = sippAvailable() ? describe : describe.skip;

let nextMediaPort = 56_000 + 2 * Math.floor(Math.random() * 2_000);
const mediaPort = (): number => (nextMediaPort += 4);

suite('a JsSIP client in Node over secure WebSocket', () => {
  let web: WebPhonePlatform;
  let agent: NodeAgent;
  const tls = mkdtempSync(join(tmpdir(), 'e2e-wss-'));

  beforeAll(async () => {
    const { cert, key } = selfSignedCertificate();
    writeFileSync(join(tls, 'cert.pem'), cert);
    writeFileSync(join(tls, 'key.pem'), key);
    const wssPort = await freePort();
    web = await startWebPhonePlatform(TOKEN, {
      PBX_SIP_WSS_PORT: String(wssPort),
      PBX_TLS_CERT_FILE: join(tls, 'cert.pem'),
      PBX_TLS_KEY_FILE: join(tls, 'key.pem'),
    });
    agent = NodeAgent.start('jssip-node-agent', {
      wsUrl: `wss://127.0.0.1:${wssPort}`,
      user: 'alice',
      password: 's3cret-Alice',
      domain: 'acme.example',
      caFile: join(tls, 'cert.pem'),
    });
    await agent.waitFor('registered', 20_000);
  }, 120_000);

  afterAll(async () => {
    await agent?.stop();
    await web?.stop();
    rmSync(tls, { recursive: true, force: true });
  });

  let firstCall: unknown;
  const endedCalls = (): Record<string, unknown>[] =>
    web
      .platform()
      .logs()
      .filter((l) => l.msg === 'call ended');

  it('calls a sipp desk phone: G.711 through DTLS-SRTP both ways', async () => {
    const port = await freeUdpPort();
    expect((await sippRegister(web.remote, 'bob', 's3cret-Bob', port)).code).toBe(0);
    const phone = startSipp({
      scenario: scenario('uas-answer.xml'),
      localPort: port,
      mediaPort: mediaPort(),
      calls: 1,
      timeoutS: 30,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const from = agent.events.length;
    agent.send({ cmd: 'call', target: '202' });
    await agent.waitFor('established', 15_000, from);
    const stats = await eventually(
      async () => {
        const s = await agent.stats();
        return s.received > 50 && s.sent > 50 ? s : undefined;
      },
      10_000,
      'audio both ways',
    );
    // sipp plays a recorded A-law voice prompt: speech, not silence, reached Node.
    expect(stats.rms).toBeGreaterThan(100);
    agent.send({ cmd: 'hangup' });
    await agent.waitFor('terminated', 10_000, from);
    expect((await phone.done).code).toBe(0);
    const ended = await eventually(async () => endedCalls()[0], 5_000, 'the call record');
    firstCall = ended.sipCallId;
    expect(ended.rtpFromCaller).toBeGreaterThan(50);
    expect(ended.rtpFromCallee).toBeGreaterThan(50);
  }, 60_000);

  it('is called by a sipp phone and answers: audio both ways', async () => {
    const from = agent.events.length;
    const caller: Promise<SippResult> = startSipp({
      scenario: scenario('uac-call.xml'),
      remote: web.remote,
      localPort: await freeUdpPort(),
      mediaPort: mediaPort(),
      rows: [['bob', 'acme.example', sippAuth('bob', 's3cret-Bob'), '201']],
      calls: 1,
      pauseMs: 4_000,
      timeoutS: 30,
      extraArgs: ['-auth_uri', '201@acme.example'],
    }).done;
    await agent.waitFor('incoming', 15_000, from);
    agent.send({ cmd: 'answer' });
    await agent.waitFor('established', 15_000, from);
    const before = await agent.stats();
    const stats = await eventually(
      async () => {
        const s = await agent.stats();
        return s.received > before.received + 50 ? s : undefined;
      },
      10_000,
      'audio from the calling phone',
    );
    expect(stats.rms).toBeGreaterThan(100);
    expect((await caller).code).toBe(0);
    await agent.waitFor('terminated', 10_000, from);
    const ended = await eventually(
      async () => endedCalls().find((l) => l.sipCallId !== firstCall),
      5_000,
      'the second call record',
    );
    expect(ended.rtpFromCallee).toBeGreaterThan(50);
    expect(ended.rtpFromCaller).toBeGreaterThan(50);
  }, 60_000);
});
