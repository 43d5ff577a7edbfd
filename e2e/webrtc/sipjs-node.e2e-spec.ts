import { eventually, freeUdpPort, sippAvailable } from '@pbx/testing';
import { sippRegister } from '../sip/sip-platform';
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
    web = await startWebPhonePlatform(TOKEN);
    // The edge's device directory follows provisioning's events: wait until bob can register.
    await eventually(
      async () =>
        (await sippRegister(web.remote, 'bob', 's3cret-Bob', await freeUdpPort())).code === 0
          ? true
          : undefined,
      20_000,
      'bob registered',
    );
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
