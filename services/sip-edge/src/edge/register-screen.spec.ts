import {
  parseMessage,
  serializeMessage,
  stampTopVia,
  type Peer,
  type SipResponse,
  type TransactionLayer,
} from '@pbx/sip';
import {
  DOMAIN,
  PHONE,
  aRegistrar,
  answer,
  type RegistrarFixture,
} from '../registrar/registrar.spec-helper';
import { registerScreen } from './register-screen';

interface Sent {
  readonly key: string;
  readonly data: Buffer;
  readonly target: Peer;
  readonly stateless: boolean;
}

/** What the transaction layer would be told; `seen` says what it knows of each key. */
function aLayer(seen: (key: string) => 'absorbed' | 'open' | 'new' = () => 'new') {
  const sent: Sent[] = [];
  const layer = {
    screenedRequest: (key: string) => seen(key),
    answerScreened: (key: string, data: Buffer, target: Peer, stateless: boolean) =>
      sent.push({ key, data, target, stateless }),
  } as unknown as TransactionLayer;
  return { layer, sent };
}

interface Register {
  readonly user?: string;
  readonly toUser?: string;
  readonly contact?: string;
  readonly expires?: number;
  readonly callId?: string;
  readonly cseq?: number;
  readonly branch?: string;
  readonly authorization?: string;
}

/** A REGISTER as a desk phone sends it, in the shape the fast path takes. */
function register(options: Register = {}): Buffer {
  const user = options.user ?? '1001';
  const lines = [
    `REGISTER sip:${DOMAIN} SIP/2.0`,
    `Via: SIP/2.0/UDP 192.0.2.10:5060;branch=${options.branch ?? 'z9hG4bK776asdhds'};rport`,
    'Max-Forwards: 70',
    `From: "Desk" <sip:${user}@${DOMAIN}>;tag=456248`,
    `To: <sip:${options.toUser ?? user}@${DOMAIN}>`,
    `Call-ID: ${options.callId ?? 'reg-call-1'}`,
    `CSeq: ${options.cseq ?? 1} REGISTER`,
    `Contact: ${options.contact ?? `<sip:${user}@192.0.2.10:5060>`}`,
    `Expires: ${options.expires ?? 3600}`,
    'User-Agent: Yealink T54W',
    ...(options.authorization === undefined ? [] : [`Authorization: ${options.authorization}`]),
    'Content-Length: 0',
    '',
    '',
  ];
  return Buffer.from(lines.join('\r\n'));
}

/** The full path's answer to the same bytes, as serialized on the wire. */
async function fullPath(f: RegistrarFixture, data: Buffer): Promise<SipResponse> {
  const parsed = parseMessage(data);
  if (parsed.kind !== 'message') throw new Error('fixture does not parse');
  stampTopVia(parsed, PHONE.address, PHONE.port);
  const first = f.registrar.challengeStatelessly(parsed, PHONE);
  return first ?? (await f.registrar.handleRegister(parsed, PHONE));
}

/** Wire text with what is random per answer (To tag, nonce, opaque) blanked. */
function comparable(data: Buffer): string {
  return data
    .toString()
    .replace(/^(To: .*;tag=)[^\r\n;]+\r$/m, '$1T\r')
    .replace(/nonce="[^"]*"/g, 'nonce="N"');
}

describe(registerScreen.name, () => {
  // Two registrars with the same secrets and clock: one answers through the screen, the other
  // through the full path, and their answers must be the same bytes.
  let fast: RegistrarFixture;
  let full: RegistrarFixture;
  beforeEach(() => {
    fast = aRegistrar();
    full = aRegistrar();
  });

  function screen(data: Buffer, layer = aLayer()) {
    const take = registerScreen(layer.layer, fast.registrar.registerAtOnce.bind(fast.registrar));
    return { taken: take(data, PHONE), sent: layer.sent };
  }

  /** Registers 1001 on both, returning the 200s. */
  async function registerBoth(options: Register = {}): Promise<{ fast: Sent; full: SipResponse }> {
    const first = screen(register(options));
    const challenge = await fullPath(full, register(options));
    expect(first.taken).toBe(true);
    const fastChallenge = parseMessage(first.sent[0].data);
    if (fastChallenge.kind !== 'message' || fastChallenge.message.kind !== 'response')
      throw new Error('the 401 does not parse');
    const again = {
      ...options,
      cseq: (options.cseq ?? 1) + 1,
      branch: `${options.branch ?? 'z9hG4bK'}2`,
    };
    const second = screen(register({ ...again, authorization: answer(fastChallenge.message) }));
    const ok = await fullPath(full, register({ ...again, authorization: answer(challenge) }));
    expect(second.taken).toBe(true);
    return { fast: second.sent[0], full: ok };
  }

  it('answers a first REGISTER with the full path’s 401, sent without a transaction', async () => {
    const data = register();
    const { taken, sent } = screen(data);
    expect(taken).toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      key: 'REGISTER z9hG4bK776asdhds 192.0.2.10:5060',
      target: { protocol: 'udp', address: PHONE.address, port: PHONE.port },
      stateless: true,
    });
    const expected = serializeMessage(await fullPath(full, data));
    // The stateless To tag is derived from the request: the same on both paths.
    expect(sent[0].data.toString().replace(/nonce="[^"]*"/g, 'N')).toBe(
      expected.toString().replace(/nonce="[^"]*"/g, 'N'),
    );
  });

  it('registers right credentials with the full path’s 200, kept for retransmissions', async () => {
    const { fast: sent, full: ok } = await registerBoth();
    expect(sent.stateless).toBe(false);
    expect(ok.status).toBe(200);
    expect(comparable(sent.data)).toBe(comparable(serializeMessage(ok)));
    expect(await fast.bindings.list(`1001@${DOMAIN}`, fast.clock.now)).toEqual(
      await full.bindings.list(`1001@${DOMAIN}`, full.clock.now),
    );
    expect(fast.events.take()).toEqual(full.events.take());
  });

  it('answers a refresh and an older REGISTER (500) as the full path does', async () => {
    await registerBoth();
    fast.events.take();
    full.events.take();
    fast.clock.now += 60_000;
    full.clock.now += 60_000;
    const refresh = await registerBoth({ cseq: 3, branch: 'z9hG4bKr' });
    expect(comparable(refresh.fast.data)).toBe(comparable(serializeMessage(refresh.full)));
    const stale = await registerBoth({ cseq: 1, branch: 'z9hG4bKo' });
    expect(stale.full.status).toBe(500);
    expect(comparable(stale.fast.data)).toBe(comparable(serializeMessage(stale.full)));
    expect(fast.events.take()).toEqual(full.events.take());
  });

  it('answers a retransmission from what the layer kept, and leaves an open one to the layer', () => {
    expect(
      screen(
        register(),
        aLayer(() => 'absorbed'),
      ),
    ).toEqual({ taken: true, sent: [] });
    expect(
      screen(
        register(),
        aLayer(() => 'open'),
      ),
    ).toEqual({ taken: false, sent: [] });
  });

  it.each<[string, (challenge: SipResponse) => Register, number]>([
    ['a wrong password', (c) => ({ authorization: answer(c, { password: 'wrong' }) }), 401],
    ['another device’s AOR', (c) => ({ toUser: '1002', authorization: answer(c) }), 403],
    ['a removal (expires 0)', (c) => ({ expires: 0, authorization: answer(c) }), 200],
    ['a too brief expiry', (c) => ({ expires: 30, authorization: answer(c) }), 423],
    [
      'an unknown device',
      (c) => ({ user: '1009', authorization: answer(c, { user: '1009' }) }),
      401,
    ],
    ['another URI', (c) => ({ authorization: answer(c, { uri: 'sip:other.example' }) }), 400],
    [
      'a contact with q',
      (c) => ({ contact: '<sip:1001@192.0.2.10>;q=0.5', authorization: answer(c) }),
      200,
    ],
  ])('leaves %s to the full path, having recorded nothing', async (_what, second, status) => {
    const first = screen(register());
    const challenge = parseMessage(first.sent[0].data);
    if (challenge.kind !== 'message' || challenge.message.kind !== 'response')
      throw new Error('401');
    const data = register({ ...second(challenge.message), cseq: 2, branch: 'z9hG4bK2' });
    expect(screen(data).taken).toBe(false);
    // The nonce count was not used up, so the full path gives its own answer, never a replay's.
    expect((await fullPath(fast, data)).status).toBe(status);
  });

  it('leaves a replayed nonce count to the full path, which refuses it', async () => {
    const first = screen(register());
    const challenge = parseMessage(first.sent[0].data);
    if (challenge.kind !== 'message' || challenge.message.kind !== 'response')
      throw new Error('401');
    const credentials = answer(challenge.message);
    expect(
      screen(register({ cseq: 2, branch: 'z9hG4bK2', authorization: credentials })).taken,
    ).toBe(true);
    const replay = register({ cseq: 3, branch: 'z9hG4bK3', authorization: credentials });
    expect(screen(replay).taken).toBe(false);
    expect((await fullPath(fast, replay)).status).toBe(401);
  });

  it('leaves unknown domains, throttled sources and other requests to the full path', async () => {
    const other = Buffer.from(
      register().toString().replace(`REGISTER sip:${DOMAIN}`, 'REGISTER sip:elsewhere.example'),
    );
    expect(screen(other).taken).toBe(false);
    expect(screen(Buffer.from('OPTIONS sip:x SIP/2.0\r\n\r\n')).taken).toBe(false);
    for (let i = 0; i < 50; i++)
      fast.throttle.recordFailure(PHONE.address, `x${i}@${DOMAIN}`, 'wrong-password');
    expect(screen(register()).taken).toBe(false);
  });
});
