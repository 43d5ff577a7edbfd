import type { SipResponse } from '@pbx/sip';
import type { DeviceDirectory } from '../directory/device-credentials';
import { handleOptions } from './options-response';
import { Registrar } from './registrar';
import {
  DOMAIN,
  PHONE,
  T0,
  aRegistrar,
  aRequest,
  answer,
  contactsOf,
  type Answer,
  type RegisterOptions,
} from './registrar.spec-helper';

type Context = ReturnType<typeof aRegistrar>;

/** A phone's REGISTER: challenged first, then sent again with its answer (CSeq + 1). */
async function register(
  ctx: Context,
  options: RegisterOptions = {},
  auth: Answer = {},
  source = PHONE,
): Promise<SipResponse> {
  const cseq = options.cseq ?? 1;
  const challenge = await ctx.registrar.handleRegister(aRequest({ ...options, cseq }), source);
  expect(challenge.status).toBe(401);
  return ctx.registrar.handleRegister(
    aRequest({
      ...options,
      cseq: cseq + 1,
      authorization: answer(challenge, { user: options.user, ...auth }),
    }),
    source,
  );
}

async function metric(ctx: Context, name: string, labels: Record<string, string>): Promise<number> {
  const found = (await ctx.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = (found?.values ?? []).find((v) =>
    Object.entries(labels).every(([k, l]) => (v.labels as Record<string, string>)[k] === l),
  );
  return value?.value ?? 0;
}

describe(Registrar.name, () => {
  let ctx: Context;
  beforeEach(() => {
    ctx = aRegistrar();
  });

  describe('authentication', () => {
    it('challenges with SHA-256 first and MD5 second, realm the domain', async () => {
      const response = await ctx.registrar.handleRegister(aRequest(), PHONE);
      expect(response.status).toBe(401);
      const challenges = response.headers.getAll('WWW-Authenticate');
      expect(challenges).toHaveLength(2);
      expect(challenges[0]).toMatch(
        new RegExp(`^Digest realm="${DOMAIN}", nonce="[^"]+", algorithm=SHA-256, qop="auth"$`),
      );
      expect(challenges[1]).toContain('algorithm=MD5');
      expect(ctx.events.take()).toEqual([]);
    });

    it.each(['SHA-256', 'MD5'] as const)(
      'registers a device answering with %s',
      async (algorithm) => {
        const response = await register(ctx, {}, { algorithm });
        expect(response.status).toBe(200);
        expect(contactsOf(response)).toEqual(['<sip:1001@192.0.2.10:5060>;expires=3600']);
        expect(response.headers.get('Date')).toBe(new Date(T0).toUTCString());
        const [binding] = await ctx.registrar.lookup('1001', DOMAIN);
        expect(binding).toMatchObject({
          contact: 'sip:1001@192.0.2.10:5060',
          source: PHONE,
          userAgent: 'Yealink T54W',
          deviceId: 'acme:1001',
          tenantId: 'tenant-1',
          expiresAt: T0 + 3_600_000,
        });
      },
    );

    it('answers a wrong password with a new challenge and counts it', async () => {
      const response = await register(ctx, {}, { password: 'guess' });
      expect(response.status).toBe(401);
      await expect(
        metric(ctx, 'sip_auth_failures_total', { reason: 'wrong-password' }),
      ).resolves.toBe(1);
      await expect(ctx.registrar.lookup('1001', DOMAIN)).resolves.toEqual([]);
    });

    it('answers an unknown user like a wrong password', async () => {
      const response = await register(ctx, { user: 'nobody' }, { user: 'nobody' });
      expect(response.status).toBe(401);
      await expect(
        metric(ctx, 'sip_auth_failures_total', { reason: 'unknown-user' }),
      ).resolves.toBe(1);
    });

    it('says stale=true for an expired nonce with the right password', async () => {
      const challenge = await ctx.registrar.handleRegister(aRequest(), PHONE);
      ctx.clock.now += 300_000;
      const response = await ctx.registrar.handleRegister(
        aRequest({ cseq: 2, authorization: answer(challenge) }),
        PHONE,
      );
      expect(response.status).toBe(401);
      expect(response.headers.getAll('WWW-Authenticate')[0]).toMatch(/, stale=true$/);
      await expect(metric(ctx, 'sip_auth_failures_total', {})).resolves.toBe(0);
    });

    it('refuses a replayed nonce count', async () => {
      const challenge = await ctx.registrar.handleRegister(aRequest(), PHONE);
      const authorization = answer(challenge);
      const first = await ctx.registrar.handleRegister(aRequest({ cseq: 2, authorization }), PHONE);
      expect(first.status).toBe(200);
      const replay = await ctx.registrar.handleRegister(
        aRequest({ cseq: 3, authorization }),
        PHONE,
      );
      expect(replay.status).toBe(401);
      await expect(metric(ctx, 'sip_auth_failures_total', { reason: 'replay' })).resolves.toBe(1);
      const next = await ctx.registrar.handleRegister(
        aRequest({ cseq: 4, authorization: answer(challenge, { nc: 2 }) }),
        PHONE,
      );
      expect(next.status).toBe(200);
    });

    it('challenges credentials in an unknown scheme and refuses broken Digest ones', async () => {
      // RFC 4475 regaut01: a registrar that authenticates answers 401 with its own scheme.
      const unknown = await ctx.registrar.handleRegister(
        aRequest({ authorization: 'NoOneKnowsThisScheme opaque-data=here, more=data' }),
        PHONE,
      );
      expect(unknown.status).toBe(401);
      expect(unknown.headers.getAll('WWW-Authenticate')[0]).toMatch(/^Digest realm=/);
      const broken = await ctx.registrar.handleRegister(
        aRequest({ cseq: 2, authorization: 'Digest username=' }),
        PHONE,
      );
      expect(broken.status).toBe(400);
    });

    it('refuses credentials computed for another Request-URI (RFC 7616 3.4.6)', async () => {
      const response = await register(ctx, {}, { uri: 'sip:other.example' });
      expect(response.status).toBe(400);
      await expect(
        metric(ctx, 'sip_auth_failures_total', { reason: 'uri-mismatch' }),
      ).resolves.toBe(1);
    });

    it('accepts a credentials URI that differs from the Request-URI in host case only', async () => {
      const response = await register(ctx, {}, { uri: 'sip:ACME.pbx.example' });
      expect(response.status).toBe(200);
    });

    it('refuses a device registering another device’s address of record with 403', async () => {
      const response = await register(ctx, { toUser: '1002' }, { user: '1001' });
      expect(response.status).toBe(403);
      await expect(ctx.registrar.lookup('1002', DOMAIN)).resolves.toEqual([]);
    });

    it('answers 404 for a domain it does not serve, before any challenge', async () => {
      const response = await ctx.registrar.handleRegister(
        aRequest({ requestUri: 'sip:unknown.example' }),
        PHONE,
      );
      expect(response.status).toBe(404);
    });

    it('answers 420 for an extension it does not understand', async () => {
      const response = await ctx.registrar.handleRegister(
        aRequest({ headers: [['Require', 'gruu']] }),
        PHONE,
      );
      expect(response.status).toBe(420);
      expect(response.headers.get('Unsupported')).toBe('gruu');
    });

    it('answers 503 when the directory is unreachable', async () => {
      jest
        .spyOn(ctx.directory as DeviceDirectory, 'hasDomain')
        .mockImplementation(() => Promise.reject(new Error('connection refused')));
      const response = await ctx.registrar.handleRegister(aRequest(), PHONE);
      expect(response.status).toBe(503);
      expect(response.headers.get('Retry-After')).toBe('5');
    });
  });

  describe('stateless first challenge (RFC 3261 8.2.7)', () => {
    it('challenges a REGISTER without credentials as handleRegister does, with a To tag derived from the request', async () => {
      const request = aRequest();
      const stateless = ctx.registrar.challengeStatelessly(request, PHONE);
      const full = await ctx.registrar.handleRegister(request, PHONE);
      expect(stateless?.status).toBe(401);
      const names = (r: SipResponse): string[] => r.headers.fields.map((f) => f.name);
      expect(names(stateless as SipResponse)).toEqual(names(full));
      // A retransmission answered anew carries the same tag; another request another one.
      const tagOf = (r: SipResponse | null): string | undefined =>
        r?.headers.get('To')?.match(/;tag=([^;]+)/)?.[1];
      expect(tagOf(ctx.registrar.challengeStatelessly(aRequest(), PHONE))).toBe(tagOf(stateless));
      expect(tagOf(ctx.registrar.challengeStatelessly(aRequest({ cseq: 2 }), PHONE))).not.toBe(
        tagOf(stateless),
      );
      // And the phone registers with the nonce it got.
      const ok = await ctx.registrar.handleRegister(
        aRequest({ cseq: 2, authorization: answer(stateless as SipResponse) }),
        PHONE,
      );
      expect(ok.status).toBe(200);
    });

    it('challenges a new INVITE from a device with 407, realm the From domain', async () => {
      const invite = aRequest({ method: 'INVITE', requestUri: `sip:1002@${DOMAIN}` });
      const stateless = ctx.registrar.challengeStatelessly(invite, PHONE);
      const full = await ctx.registrar.authenticateRequest(invite, PHONE);
      expect(stateless?.status).toBe(407);
      expect(full.ok).toBe(false);
      const challenge = (r: SipResponse): string[] =>
        r.headers.getAll('Proxy-Authenticate').map((v) => v.replace(/nonce="[^"]+"/, ''));
      expect(challenge(stateless as SipResponse)).toEqual(
        challenge((full as { response: SipResponse }).response),
      );
    });

    it.each([
      ['credentials are given', aRequest({ authorization: 'Basic YWxhZGRpbjpvcGVuc2VzYW1l' })],
      [
        'an INVITE carries Proxy-Authorization',
        aRequest({
          method: 'INVITE',
          headers: [['Proxy-Authorization', 'Digest username="1001"']],
        }),
      ],
      ['an INVITE is in a dialog', aRequest({ method: 'INVITE', toTag: 'dialog-1' })],
      ['an extension is required', aRequest({ headers: [['Require', 'gruu']] })],
      ['the domain is not ours', aRequest({ requestUri: 'sip:other.example' })],
      ['the Request-URI is not SIP', aRequest({ requestUri: 'tel:+31201234567' })],
      ['it is not a REGISTER', aRequest({ method: 'OPTIONS' })],
    ])('leaves the request to the full path when %s', (_, request) => {
      expect(ctx.registrar.challengeStatelessly(request, PHONE)).toBeNull();
    });

    it('leaves a throttled source to the full path, which refuses it', async () => {
      ctx = aRegistrar({ maxFailuresPerSource: 1, maxFailuresPerUser: 100 });
      for (let i = 0; i < 2; i += 1)
        await register(ctx, { user: `guess${i}` }, { user: `guess${i}` });
      expect(ctx.registrar.challengeStatelessly(aRequest(), PHONE)).toBeNull();
      expect((await ctx.registrar.handleRegister(aRequest(), PHONE)).status).toBe(403);
    });
  });

  describe('throttling', () => {
    it('shuts out a source after too many failures, whatever the names, and counts it', async () => {
      ctx = aRegistrar({ maxFailuresPerSource: 3, maxFailuresPerUser: 100 });
      for (let i = 0; i < 4; i += 1) {
        const user = `guess${i}`;
        expect((await register(ctx, { user }, { user })).status).toBe(401);
      }
      const blocked = await ctx.registrar.handleRegister(aRequest(), PHONE);
      expect(blocked.status).toBe(403);
      await expect(metric(ctx, 'sip_auth_throttled_total', { by: 'source' })).resolves.toBe(1);
      const elsewhere = await register(ctx, {}, {}, { ...PHONE, address: '203.0.113.5' });
      expect(elsewhere.status).toBe(200);
      ctx.clock.now += 300_000;
      expect((await register(ctx, { cseq: 10 })).status).toBe(200);
    });

    it('shuts out a username after too many failures from any source', async () => {
      ctx = aRegistrar({ maxFailuresPerUser: 2 });
      for (let i = 0; i < 3; i += 1) {
        const source = { ...PHONE, address: `203.0.113.${i}` };
        expect(
          (await register(ctx, { cseq: i * 2 + 1 }, { password: 'guess' }, source)).status,
        ).toBe(401);
      }
      const challenge = await ctx.registrar.handleRegister(aRequest({ cseq: 20 }), PHONE);
      const blocked = await ctx.registrar.handleRegister(
        aRequest({ cseq: 21, authorization: answer(challenge) }),
        PHONE,
      );
      expect(blocked.status).toBe(403);
      await expect(metric(ctx, 'sip_auth_throttled_total', { by: 'user' })).resolves.toBe(1);
    });

    it('forgets a username’s failures once it authenticates', async () => {
      ctx = aRegistrar({ maxFailuresPerUser: 2, maxFailuresPerSource: 100 });
      await register(ctx, { cseq: 1 }, { password: 'guess' });
      await register(ctx, { cseq: 3 }, { password: 'guess' });
      expect((await register(ctx, { cseq: 5 })).status).toBe(200);
      await register(ctx, { cseq: 7 }, { password: 'guess' });
      await register(ctx, { cseq: 9 }, { password: 'guess' });
      expect((await register(ctx, { cseq: 11 })).status).toBe(200);
    });
  });

  describe('bindings', () => {
    it('binds several contacts of one REGISTER, with their q values', async () => {
      const response = await register(ctx, {
        contacts: ['<sip:1001@192.0.2.10:5060>;q=0.5', '<sip:1001@192.0.2.11:5060>;expires=600'],
      });
      expect(response.status).toBe(200);
      expect(contactsOf(response).sort()).toEqual([
        '<sip:1001@192.0.2.10:5060>;expires=3600;q=0.5',
        '<sip:1001@192.0.2.11:5060>;expires=600',
      ]);
      const bindings = await ctx.registrar.lookup('1001', DOMAIN);
      expect(bindings.map((b) => b.contact)).toEqual([
        'sip:1001@192.0.2.11:5060',
        'sip:1001@192.0.2.10:5060',
      ]);
    });

    it('answers 423 with Min-Expires for a too brief registration', async () => {
      const response = await register(ctx, { expires: 30 });
      expect(response.status).toBe(423);
      expect(response.headers.get('Min-Expires')).toBe('60');
      await expect(ctx.registrar.lookup('1001', DOMAIN)).resolves.toEqual([]);
    });

    it('grants at most the maximum', async () => {
      const response = await register(ctx, { contacts: ['<sip:1001@192.0.2.10>;expires=86400'] });
      expect(contactsOf(response)).toEqual(['<sip:1001@192.0.2.10>;expires=3600']);
    });

    it('removes one contact with expires=0 and keeps the others', async () => {
      await register(ctx, { contacts: ['<sip:1001@192.0.2.10>', '<sip:1001@192.0.2.11>'] });
      ctx.events.take();
      const response = await register(ctx, {
        cseq: 3,
        contacts: ['<sip:1001@192.0.2.10>;expires=0'],
      });
      expect(contactsOf(response)).toEqual(['<sip:1001@192.0.2.11>;expires=3600']);
      expect(ctx.events.take()).toEqual([
        { kind: 'unregistered', contact: 'sip:1001@192.0.2.10', reason: 'removed' },
      ]);
    });

    it('removes every contact with Contact: * and Expires: 0', async () => {
      await register(ctx, { contacts: ['<sip:1001@192.0.2.10>', '<sip:1001@192.0.2.11>'] });
      const response = await register(ctx, { cseq: 3, contacts: ['*'], expires: 0 });
      expect(response.status).toBe(200);
      expect(contactsOf(response)).toEqual([]);
      await expect(ctx.registrar.lookup('1001', DOMAIN)).resolves.toEqual([]);
    });

    it('refuses Contact: * without Expires: 0', async () => {
      expect((await register(ctx, { contacts: ['*'] })).status).toBe(400);
      expect((await register(ctx, { contacts: ['*'], expires: 60 })).status).toBe(400);
    });

    it('refuses a REGISTER older than the binding it would change (same Call-ID, CSeq not higher)', async () => {
      await register(ctx, { cseq: 10 });
      const response = await register(ctx, {
        cseq: 5,
        contacts: ['<sip:1001@192.0.2.10:5060>;expires=0'],
      });
      expect(response.status).toBe(500);
      await expect(ctx.registrar.lookup('1001', DOMAIN)).resolves.toHaveLength(1);
      expect((await register(ctx, { cseq: 12 })).status).toBe(200);
    });

    it('answers a REGISTER without Contact with the current bindings (a query)', async () => {
      await register(ctx);
      ctx.clock.now += 600_000;
      const response = await register(ctx, { cseq: 3, contacts: null });
      expect(response.status).toBe(200);
      expect(contactsOf(response)).toEqual(['<sip:1001@192.0.2.10:5060>;expires=3000']);
    });

    it('drops the least recently refreshed contact past the limit, and refuses more at once', async () => {
      for (let i = 0; i < 3; i += 1) {
        await register(ctx, { callId: `c${i}`, contacts: [`<sip:1001@192.0.2.${i}>`] });
        ctx.clock.now += 1000;
      }
      ctx.events.take();
      await register(ctx, { callId: 'c9', contacts: ['<sip:1001@192.0.2.9>'] });
      expect(ctx.events.take()).toEqual([
        { kind: 'unregistered', contact: 'sip:1001@192.0.2.0', reason: 'removed' },
        { kind: 'registered', contact: 'sip:1001@192.0.2.9' },
      ]);
      const tooMany = await register(ctx, {
        callId: 'c10',
        contacts: [
          '<sip:a@192.0.2.20>',
          '<sip:b@192.0.2.21>',
          '<sip:c@192.0.2.22>',
          '<sip:d@192.0.2.23>',
        ],
      });
      expect(tooMany.status).toBe(403);
    });

    it('keeps an RFC 5626 flow over TCP and says Require: outbound', async () => {
      const tcp = {
        protocol: 'tcp' as const,
        address: '198.51.100.7',
        port: 50001,
        connectionId: 7,
      };
      const instance = '+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>";reg-id=1';
      const options = {
        contacts: [`<sip:1001@10.0.0.5;transport=tcp>;${instance}`],
        headers: [['Supported', 'outbound']] as [string, string][],
      };
      const response = await register(ctx, options, {}, tcp);
      expect(response.headers.get('Require')).toBe('outbound');
      expect(contactsOf(response)).toEqual([
        `<sip:1001@10.0.0.5;transport=tcp>;expires=3600;${instance}`,
      ]);
      const moved = {
        ...options,
        cseq: 3,
        contacts: [`<sip:1001@10.0.0.6;transport=tcp>;${instance}`],
      };
      await register(ctx, moved, {}, { ...tcp, connectionId: 8 });
      const bindings = await ctx.registrar.lookup('1001', DOMAIN);
      expect(bindings).toHaveLength(1);
      expect(bindings[0]).toMatchObject({
        contact: 'sip:1001@10.0.0.6;transport=tcp',
        outbound: true,
        regId: 1,
        source: { connectionId: 8 },
      });
    });

    it('keeps a plain binding for reg-id over UDP', async () => {
      const response = await register(ctx, {
        contacts: ['<sip:1001@10.0.0.5>;+sip.instance="<urn:uuid:1>";reg-id=1'],
        headers: [['Supported', 'outbound']],
      });
      expect(response.headers.get('Require')).toBeUndefined();
      await expect(ctx.registrar.lookup('1001', DOMAIN)).resolves.toMatchObject([
        { outbound: false },
      ]);
    });
  });

  describe('registration events', () => {
    it('reports a binding when it appears, not when it is refreshed, and when it expires', async () => {
      await register(ctx, { expires: 120 });
      expect(ctx.events.take()).toEqual([
        { kind: 'registered', contact: 'sip:1001@192.0.2.10:5060' },
      ]);
      ctx.clock.now += 60_000;
      await register(ctx, { cseq: 3, expires: 120 });
      expect(ctx.events.take()).toEqual([]);
      ctx.clock.now += 119_000;
      await expect(ctx.registrar.sweepExpired()).resolves.toBe(0);
      ctx.clock.now += 1_000;
      await expect(ctx.registrar.lookup('1001', DOMAIN)).resolves.toEqual([]);
      await expect(ctx.registrar.sweepExpired()).resolves.toBe(1);
      expect(ctx.events.take()).toEqual([
        { kind: 'unregistered', contact: 'sip:1001@192.0.2.10:5060', reason: 'expired' },
      ]);
    });

    it('reports the bindings of a removed device', async () => {
      await register(ctx);
      ctx.events.take();
      await expect(ctx.registrar.dropDevice('1001', DOMAIN)).resolves.toBe(1);
      expect(ctx.events.take()).toEqual([
        { kind: 'unregistered', contact: 'sip:1001@192.0.2.10:5060', reason: 'device-removed' },
      ]);
    });
  });

  describe('requests other than REGISTER', () => {
    const invite = (authorization?: string, from = '1001') =>
      aRequest({
        method: 'INVITE',
        user: from,
        requestUri: `sip:201@${DOMAIN}`,
        toUser: '201',
        contacts: [`<sip:${from}@192.0.2.10>`],
        headers: authorization === undefined ? [] : [['Proxy-Authorization', authorization]],
      });

    it('challenges an INVITE with 407 and accepts the device that answers', async () => {
      const challenge = await ctx.registrar.authenticateRequest(invite(), PHONE, { proxy: true });
      expect(challenge.ok).toBe(false);
      if (challenge.ok) return;
      expect(challenge.response.status).toBe(407);
      const authorization = answer(challenge.response, {
        header: 'Proxy-Authenticate',
        method: 'INVITE',
        uri: `sip:201@${DOMAIN}`,
      });
      const outcome = await ctx.registrar.authenticateRequest(invite(authorization), PHONE, {
        proxy: true,
      });
      expect(outcome).toMatchObject({ ok: true, device: { deviceId: 'acme:1001' } });
    });

    it('refuses an INVITE whose From is not the authenticated device', async () => {
      const challenge = await ctx.registrar.authenticateRequest(invite(undefined, '1002'), PHONE);
      if (challenge.ok) throw new Error('expected a challenge');
      const authorization = answer(challenge.response, {
        header: 'Proxy-Authenticate',
        method: 'INVITE',
        uri: `sip:201@${DOMAIN}`,
      });
      const outcome = await ctx.registrar.authenticateRequest(invite(authorization, '1002'), PHONE);
      expect(outcome).toMatchObject({ ok: false, response: { status: 403 } });
    });

    it('answers OPTIONS to the edge with what it accepts', () => {
      const response = handleOptions(aRequest({ method: 'OPTIONS', contacts: null }));
      expect(response.status).toBe(200);
      expect(response.headers.get('Allow')).toBe('INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER');
      expect(response.headers.get('Accept')).toBe('application/sdp');
    });
  });
});
