import {
  buildDigestChallenge,
  computeHa1,
  HmacNonceService,
  InMemoryNonceCountTracker,
  parseDigestCredentials,
  verifyDigest,
} from '@pbx/sip';
import type { TrunkRoute } from '@pbx/telephony';
import { callOut, EdgeHarness, ringUser } from '../../test/edge-harness';
import { phoneSdp, statusOf } from '../../test/test-phone';

jest.setTimeout(5000);

/** Issue 5: RFC 4028 session timers on the caller's leg, and digest towards a carrier. */
describe('B2BUA session timer and carrier authentication', () => {
  let edge: EdgeHarness | undefined;

  afterEach(async () => {
    await edge?.close();
    edge = undefined;
  });

  it('refuses a session interval below 90 s with 422 and Min-SE: 90', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const alice = await edge.phone('alice');
    const call = alice.call(edge.peer, {
      to: '2002',
      sdp: phoneSdp(),
      headers: [
        ['Supported', 'timer'],
        ['Session-Expires', '60'],
      ],
    });
    const final = await call.final();
    expect(statusOf(final)).toBe(422);
    expect(final.message.headers.get('Min-SE')).toBe('90');
    expect(edge.routing.requests).toHaveLength(0);
    expect(edge.server.activeCalls).toBe(0);
  });

  it('grants a 90 s session refreshed by the caller: Session-Expires and Require: timer', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const alice = await edge.phone('alice');
    const bob = await edge.phone('bob', { registered: true });
    const call = alice.call(edge.peer, {
      to: '2002',
      sdp: phoneSdp(),
      headers: [
        ['Supported', 'timer'],
        ['Session-Expires', '90;refresher=uac'],
      ],
    });
    const invite = await bob.takeRequest('INVITE');
    // The edge does not refresh the callee's leg, so it must not offer to (RFC 4028 section 9).
    expect(invite.request.headers.getAll('Supported').join(',')).not.toMatch(/timer/i);
    expect(invite.request.headers.get('Session-Expires')).toBeUndefined();
    bob.answer(invite, 200, { toTag: 'bob1', sdp: phoneSdp(5000) });
    const ok = await call.waitForStatus(200);
    expect(ok.message.headers.get('Session-Expires')).toBe('90;refresher=uac');
    expect(ok.message.headers.getAll('Require')).toContain('timer');
    await call.ack();
  });

  it('does not require the timer of a caller that does not support it (RFC 4028 section 9)', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const alice = await edge.phone('alice');
    const bob = await edge.phone('bob', { registered: true });
    // A proxy on the way inserted Session-Expires; the phone itself knows nothing of timers.
    const call = alice.call(edge.peer, {
      to: '2002',
      sdp: phoneSdp(),
      headers: [['Session-Expires', '1800']],
    });
    const invite = await bob.takeRequest('INVITE');
    bob.answer(invite, 200, { toTag: 'bob1', sdp: phoneSdp(5000) });
    const ok = await call.waitForStatus(200);
    expect(ok.message.headers.get('Session-Expires')).toBe('1800;refresher=uas');
    expect(ok.message.headers.getAll('Require')).not.toContain('timer');
    await call.ack();
  });

  it('answers a carrier’s 407 once with Proxy-Authorization from the trunk’s credentials', async () => {
    const realm = 'carrier.test';
    const nonces = new HmacNonceService({
      secrets: { current: Buffer.alloc(32, 7) },
      now: () => Date.now(),
    });
    const out: { trunk?: TrunkRoute } = {};
    edge = await EdgeHarness.start({
      decide: () => callOut(out.trunk as TrunkRoute, '+31612345678'),
    });
    const carrier = await edge.phone('carrier');
    out.trunk = {
      trunkId: 'trunk-1',
      name: 'Carrier',
      host: '127.0.0.1',
      port: carrier.port,
      transport: 'udp',
      username: 'pbx-account',
      password: 's3cret"pass',
      register: false,
      inboundAddresses: [],
    };
    const alice = await edge.phone('alice');
    const call = alice.call(edge.peer, { to: '0612345678', sdp: phoneSdp() });

    const first = await carrier.takeRequest('INVITE');
    expect(first.request.requestUri).toBe(`sip:+31612345678@127.0.0.1:${carrier.port}`);
    expect(first.request.headers.get('Proxy-Authorization')).toBeUndefined();
    // Towards a carrier the caller is presented at the platform's public host.
    expect(first.request.headers.get('From')).toMatch(/^<sip:\+31201234567@127\.0\.0\.1>;tag=/);
    carrier.answer(first, 407, {
      toTag: 'c1',
      headers: [
        ['Proxy-Authenticate', buildDigestChallenge({ realm, nonce: nonces.issue(realm) }, 'MD5')],
      ],
    });

    const second = await carrier.takeRequest('INVITE');
    expect(second.parsed.callId).toBe(first.parsed.callId);
    expect(second.parsed.cseq.seq).toBe(first.parsed.cseq.seq + 1);
    const header = second.request.headers.get('Proxy-Authorization') ?? '';
    const credentials = parseDigestCredentials(header);
    if (!credentials.ok) throw new Error(`bad Proxy-Authorization ${header}`);
    expect(credentials.value.username).toBe('pbx-account');
    const verification = await verifyDigest({
      method: 'INVITE',
      credentials: credentials.value,
      ha1: { md5: computeHa1('MD5', 'pbx-account', realm, 's3cret"pass') },
      realm,
      nonceService: nonces,
      ncTracker: new InMemoryNonceCountTracker(),
      now: Date.now(),
    });
    expect(verification).toEqual({ ok: true, username: 'pbx-account' });

    carrier.answer(second, 200, { toTag: 'c2', sdp: phoneSdp(7000) });
    expect(statusOf(await call.final())).toBe(200);
    await call.ack();
    const ack = await carrier.takeRequest('ACK');
    expect(ack.parsed.cseq.seq).toBe(second.parsed.cseq.seq);
  });

  it('gives up after one answered challenge and never relays the carrier’s 407 to the caller', async () => {
    const out: { trunk?: TrunkRoute } = {};
    edge = await EdgeHarness.start({
      decide: () => callOut(out.trunk as TrunkRoute, '+31612345678'),
    });
    const carrier = await edge.phone('carrier');
    out.trunk = {
      trunkId: 'trunk-1',
      name: 'Carrier',
      host: '127.0.0.1',
      port: carrier.port,
      transport: 'udp',
      username: 'pbx-account',
      password: 'wrong',
      register: false,
      inboundAddresses: [],
    };
    const alice = await edge.phone('alice');
    const call = alice.call(edge.peer, { to: '0612345678', sdp: phoneSdp() });
    const challenge = buildDigestChallenge({ realm: 'carrier.test', nonce: 'n1' }, 'MD5');
    carrier.answer(await carrier.takeRequest('INVITE'), 407, {
      headers: [['Proxy-Authenticate', challenge]],
    });
    carrier.answer(await carrier.takeRequest('INVITE'), 407, {
      headers: [['Proxy-Authenticate', challenge]],
    });
    const final = await call.final();
    expect(statusOf(final)).toBe(503);
    expect(final.message.headers.get('Proxy-Authenticate')).toBeUndefined();
    expect(carrier.received('INVITE')).toHaveLength(2);
    const ended = await edge.routing.waitForReport('ended');
    expect(ended).toMatchObject({ cause: 'failed', status: 503, by: 'callee' });
  });
});
