import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  createTestDatabase,
  eventually,
  freePort,
  freeUdpPort,
  sippMediaPort,
  sippAvailable,
  startPlatformProcess,
  startSipp,
  type SippResult,
} from '@pbx/testing';
import { sippAuth, sippRegister } from '../sip/sip-platform';
import { CHROMIUM, launchChromium, openPhone, screenshot, signIn } from './browser';
import { startWebPhonePlatform, type WebPhonePlatform } from './web-phone-platform';

// Issue 6, the web phone: a page served by the platform at /phone, SIP.js over the edge's
// WebSocket, driven in headless Chromium like a user would (by labels and roles), with sipp
// phones on the other end.
const TOKEN = 'e2e-operator-token-web-phone-0123456789abcdef01234';
const scenario = (name: string): string => join(__dirname, 'scenarios', name);
const suite = sippAvailable() && existsSync(CHROMIUM) ? describe : describe.skip;

suite('web phone', () => {
  let web: WebPhonePlatform;
  let browser: Browser;
  let page: Page;

  /** bob's sipp phone calls `dialed` with `name` (a scenario of this folder). */
  async function sippCalls(name: string, dialed: string, pauseMs = 0): Promise<SippResult> {
    return startSipp({
      scenario: scenario(name),
      remote: web.remote,
      localPort: await freeUdpPort(),
      mediaPort: await sippMediaPort(),
      rows: [['bob', 'acme.example', sippAuth('bob', 's3cret-Bob'), dialed]],
      calls: 1,
      pauseMs,
      timeoutS: 20,
      extraArgs: ['-auth_uri', `${dialed}@acme.example`],
    }).done;
  }

  beforeAll(async () => {
    [web, browser] = await Promise.all([startWebPhonePlatform(TOKEN), launchChromium()]);
    page = await openPhone(browser, web.url);
    // WEBPHONE_DEBUG=1 shows the page's console (SIP.js warnings) and the platform's log.
    if (process.env.WEBPHONE_DEBUG) {
      page.on('console', (m) => process.stdout.write(`[page] ${m.type()} ${m.text()}\n`));
    }
  }, 120_000);

  afterAll(async () => {
    if (process.env.WEBPHONE_DEBUG) process.stdout.write(web?.platform().output() ?? '');
    await browser?.close();
    await web?.stop();
  });

  it('is served at /phone with a strict content security policy, signed out', async () => {
    const response = await fetch(`${web.url}/phone/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    await expect(page.title()).resolves.toBe('Web phone');
    expect(await page.getByRole('status').first().textContent()).toBe('Signed out');
    for (const label of ['SIP username', 'SIP password']) {
      expect(await page.getByLabel(label).isVisible()).toBe(true);
    }
    await screenshot(page, '01-signed-out');
  });

  it("gives a read-only session of the device's user for its SIP credentials, and nothing for wrong ones", async () => {
    const post = (body: unknown) =>
      fetch(`${web.url}/api/v1/phone/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const wrong = await post({ username: 'alice@acme.example', password: 's3cret-Bob' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({
      error: { code: 'INVALID_CREDENTIALS', message: 'wrong username or password' },
    });
    expect((await post({ username: 'alice@acme.example' })).status).toBe(400);

    const ok = await post({ username: 'bob-mobile@acme.example', password: 's3cret-Bob2' });
    expect(ok.status).toBe(201);
    const session = (await ok.json()) as { token: string; expiresAt: string; user: unknown };
    expect(session.user).toEqual({
      tenantId: expect.any(String),
      groupId: expect.any(String),
      userId: '202',
    });
    const minutes = (Date.parse(session.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
    const me = await web.platform().get('/api/v1/me', session.token);
    expect(me.status).toBe(200);
    expect((await web.platform().get('/api/v1/me/calls', session.token)).status).toBe(200);
    // The SIP password shows the user's things; it changes none of them.
    const patch = await fetch(`${web.url}/api/v1/me`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'mallory@evil.example' }),
    });
    expect(patch.status).toBe(403);
  });

  it('says the password is wrong when the edge refuses the REGISTER', async () => {
    await signIn(page, 'alice@acme.example', 'not-her-password');
    const alert = page.getByRole('alert');
    await alert
      .filter({ hasText: 'Wrong username or password (401).' })
      .waitFor({ timeout: 10_000 });
    // Focus goes back to the password, ready to be typed again.
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe(
      'password',
    );
    expect(await page.getByRole('button', { name: 'Sign in' }).isEnabled()).toBe(true);
    await screenshot(page, '02-error-wrong-password');
  });

  it('signs in with the device credentials of examples/acme.yaml and shows Registered', async () => {
    await signIn(page, 'alice@acme.example', 's3cret-Alice');
    await page.getByText('Registered as alice@acme.example').waitFor({ timeout: 10_000 });
    expect(await page.locator('#alert').textContent()).toBe('');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe(
      'number',
    );
    await page.getByText('No calls yet.').waitFor({ timeout: 5_000 });
    await screenshot(page, '03-registered');
  });

  it('rings for a sipp caller, with Answer focused, and declines with 486', async () => {
    const caller = sippCalls('uac-call-declined.xml', '201');
    const incoming = page.getByRole('region', { name: 'Incoming call' });
    await incoming.waitFor({ timeout: 10_000 });
    expect(await incoming.textContent()).toContain('From Bob de Vries (202)');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe(
      'answer',
    );
    expect(await page.title()).toMatch(/^Incoming call from Bob de Vries \(202\)/);
    await screenshot(page, '04-ringing');
    await page.getByRole('button', { name: 'Decline' }).click();
    const result = await caller;
    expect(result.errors).toBe('');
    expect(result.code).toBe(0);
    await page.getByText('Declined the call from Bob de Vries (202).').waitFor({ timeout: 5_000 });
    expect(await incoming.isVisible()).toBe(false);
  });

  it('shows a call the caller gave up on as missed, also in the call log', async () => {
    const caller = sippCalls('uac-call-abandoned.xml', '201', 1_500);
    await page.getByRole('region', { name: 'Incoming call' }).waitFor({ timeout: 10_000 });
    expect((await caller).code).toBe(0);
    await page.getByText('Missed call from Bob de Vries (202).').waitFor({ timeout: 5_000 });
    // Newest first: the abandoned call, then the declined one, both over and unanswered.
    // (Not waitForFunction: the page's CSP rightly refuses the eval it needs.)
    const results = page.locator('#log-rows tr td:nth-child(5)');
    await eventually(
      async () => ((await results.allTextContents()).join() === 'Missed,Missed' ? true : undefined),
      10_000,
      'both calls in the call log, over',
    );
    const first = await page.locator('#log-rows tr').first().textContent();
    expect(first).toContain('Bob de Vries (202)');
    expect(first).toContain('Call back');
    await screenshot(page, '05-call-log');
  });

  it('calls a sipp phone by number from the keypad and Enter, and cancels while it rings', async () => {
    const contactPort = await freeUdpPort();
    expect((await sippRegister(web.remote, 'carol', 's3cret-Carol', contactPort)).code).toBe(0);
    const callee = startSipp({
      scenario: scenario('uas-ring-until-cancelled.xml'),
      localPort: contactPort,
      mediaPort: await sippMediaPort(),
      calls: 1,
      timeoutS: 20,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The dial pad by keyboard: Tab to a key, Enter presses it.
    const number = page.getByLabel('Number or extension');
    await number.fill('20');
    await page.getByRole('group', { name: 'Dial pad' }).getByRole('button', { name: '3' }).focus();
    await page.keyboard.press('Enter');
    expect(await number.inputValue()).toBe('203');
    await number.press('Enter');
    const call = page.getByRole('region', { name: /^(Calling|Ringing) 203/ });
    await page.getByRole('heading', { name: 'Ringing 203…' }).waitFor({ timeout: 10_000 });
    expect(await call.isVisible()).toBe(true);
    await screenshot(page, '06-calling');
    await page.getByRole('button', { name: 'Hang up' }).click();
    const result = await callee.done;
    expect(result.errors).toBe('');
    expect(result.code).toBe(0);
    await page.getByText('Call to 203 cancelled.').waitFor({ timeout: 5_000 });
  });

  it('reconnects with backoff and registers again after the platform restarts', async () => {
    const restarted = web.restart();
    await page.getByText(/^Connection lost: reconnecting/).waitFor({ timeout: 15_000 });
    await screenshot(page, '07-reconnecting');
    await restarted;
    await page.getByText('Registered as alice@acme.example').waitFor({ timeout: 40_000 });
    // The new process keeps bindings in memory: a call reaching the page proves the REGISTER.
    const caller = sippCalls('uac-call-declined.xml', '201');
    await page.getByRole('region', { name: 'Incoming call' }).waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Decline' }).click();
    expect((await caller).code).toBe(0);
  }, 90_000);
});

suite('web phone without a microphone, with TURN configured', () => {
  let web: WebPhonePlatform;
  let browser: Browser;
  const TURN = { PBX_TURN_URLS: 'turn:turn.example.net:3478', PBX_TURN_SECRET: 'north-wind-0123' };

  beforeAll(async () => {
    [web, browser] = await Promise.all([startWebPhonePlatform(TOKEN, TURN), launchChromium()]);
  }, 120_000);

  it('hands TURN credentials to signed-in devices only', async () => {
    const config = await web.platform().get('/api/v1/phone/config');
    expect(config.body).toEqual({ wsUrl: `ws://127.0.0.1:${web.wsPort}`, iceServers: [] });
    const session = await fetch(`${web.url}/api/v1/phone/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'carol@acme.example', password: 's3cret-Carol' }),
    });
    const body = (await session.json()) as { iceServers: Record<string, unknown>[] };
    expect(session.status).toBe(201);
    const { iceServers } = body;
    expect(iceServers).toEqual([
      {
        urls: ['turn:turn.example.net:3478'],
        username: expect.stringMatching(/^\d+:pbx$/),
        credential: expect.any(String),
      },
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
  });

  it.each([
    ['NotFoundError', 'No microphone found.'],
    ['NotAllowedError', 'Microphone access is blocked.'],
  ])('explains %s and places no call', async (name, message) => {
    const page = await openPhone(browser, web.url);
    // What Chromium raises with no device, or with the permission refused.
    await page.evaluate(
      `navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('test', '${name}'))`,
    );
    await signIn(page, 'bob-mobile@acme.example', 's3cret-Bob2');
    await page.getByText('Registered as bob-mobile@acme.example').waitFor({ timeout: 10_000 });
    await page.getByLabel('Number or extension').fill('201');
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: message }).waitFor({ timeout: 5_000 });
    expect(await page.locator('#call').isVisible()).toBe(false);
    if (name === 'NotFoundError') await screenshot(page, '08-error-no-microphone');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('Signed out').waitFor();
    await page.context().close();
  });

  it('says so when the edge refuses a device after repeated wrong passwords (403)', async () => {
    const page = await openPhone(browser, web.url);
    const alert = page.getByRole('alert');
    // The edge shuts a device out after 5 failures a minute (AuthThrottle); then it answers 403.
    for (let attempt = 1; attempt <= 6; attempt++) {
      await signIn(page, 'carol@acme.example', `guess-${attempt}`);
      await alert
        .filter({ hasText: 'Wrong username or password (401).' })
        .waitFor({ timeout: 5_000 });
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
    }
    await signIn(page, 'carol@acme.example', 's3cret-Carol');
    await alert.filter({ hasText: /^Sign-in refused \(403\)/ }).waitFor({ timeout: 5_000 });
    await page.context().close();
  });
});

suite('web phone on the telephony node', () => {
  it('is served by the node that owns the SIP WebSocket, with its URL in the config', async () => {
    const database = await createTestDatabase();
    const wsPort = await freePort();
    const node = await startPlatformProcess('telephony', {
      DATABASE_URL: database.url,
      PBX_SIP_HOST: '127.0.0.1',
      PBX_SIP_WS_PORT: String(wsPort),
    });
    try {
      await node.waitForReady(60_000);
      const page = await fetch(`${node.url}/phone/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<h1>Web phone</h1>');
      const config = await node.get('/api/v1/phone/config');
      expect(config).toEqual({
        status: 200,
        body: { wsUrl: `ws://127.0.0.1:${wsPort}`, iceServers: [] },
      });
    } finally {
      await node.stop();
      await database.drop();
    }
  });
});
