import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, selfSignedCertificate, sippAvailable } from '@pbx/testing';
import { startWebPhonePlatform, type WebPhonePlatform } from '../web-phone/web-phone-platform';
import { itCallsAndIsCalledBySipp } from './node-agent-calls';
import { NodeAgent } from './node-agent-process';

// Issue 6: SIP over secure WebSocket (RFC 7118, WSS) from a JsSIP client, the other browser SIP
// library the issue names. The client checks the edge's certificate against the test's CA, its
// media is a werift peer connection bridged to a sipp phone's G.711 (node-agent-calls.ts).
const TOKEN = 'e2e-operator-token-webrtc-jssip-0123456789abcdef01234';
const suite = sippAvailable() ? describe : describe.skip;

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

  itCallsAndIsCalledBySipp(() => ({ web, agent }));
});
