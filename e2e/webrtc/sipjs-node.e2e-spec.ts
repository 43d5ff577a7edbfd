import { sippAvailable } from '@pbx/testing';
import { startWebPhonePlatform, type WebPhonePlatform } from '../web-phone/web-phone-platform';
import { itCallsAndIsCalledBySipp } from './node-agent-calls';
import { NodeAgent } from './node-agent-process';

// Issue 6: "a SIP.js client in Node over WebSocket" calls a sipp phone and is called by one.
const TOKEN = 'e2e-operator-token-webrtc-sipjs-0123456789abcdef0123';
const suite = sippAvailable() ? describe : describe.skip;

suite('a SIP.js client in Node over WebSocket', () => {
  let web: WebPhonePlatform;
  let agent: NodeAgent;

  beforeAll(async () => {
    // startWebPhonePlatform returns once the edge's device directory knows acme's devices.
    web = await startWebPhonePlatform(TOKEN);
    agent = NodeAgent.start('sipjs-node-agent', {
      wsUrl: `ws://127.0.0.1:${web.wsPort}`,
      user: 'alice',
      password: 's3cret-Alice',
      domain: 'acme.example',
    });
    await agent.waitFor('registered');
  }, 120_000);

  afterAll(async () => {
    await agent?.stop();
    await web?.stop();
  });

  itCallsAndIsCalledBySipp(() => ({ web, agent }));
});
