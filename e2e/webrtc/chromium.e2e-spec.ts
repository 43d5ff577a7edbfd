import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { eventually, freeUdpPort, sippAvailable } from '@pbx/testing';
import { sippRegister, sippAnsweringPhone } from '../sip/sip-platform';
import { CHROMIUM, launchChromium } from '../web-phone/browser';
import { startWebPhonePlatform, type WebPhonePlatform } from '../web-phone/web-phone-platform';
import { SipJsTestPage } from './sipjs-test-page';

// Issue 6: browsers work. Headless Chromium runs SIP.js's own modules in a bare page (the web
// phone's tests drive the product page): it registers over WebSocket and calls a sipp phone,
// and two browsers call each other through the platform, which then bridges SRTP to SRTP.
const TOKEN = 'e2e-operator-token-webrtc-chromium-0123456789abcdef';
const suite = sippAvailable() && existsSync(CHROMIUM) ? describe : describe.skip;

interface InboundAudio {
  readonly packetsReceived: number;
  readonly audioLevel: number;
  readonly totalAudioEnergy: number;
}

const inbound = (page: Page): Promise<InboundAudio | undefined> =>
  page.evaluate('window.phone.inbound()') as Promise<InboundAudio | undefined>;

/** Waits until the page received audio that is not silence. */
const hearsAudio = (page: Page, level: 'audioLevel' | 'totalAudioEnergy'): Promise<InboundAudio> =>
  eventually(
    async () => {
      const audio = await inbound(page);
      return audio !== undefined && audio.packetsReceived > 25 && audio[level] > 0
        ? audio
        : undefined;
    },
    10_000,
    'inbound audio in Chromium (getStats)',
  );

suite('headless Chromium with SIP.js over WebSocket', () => {
  let web: WebPhonePlatform;
  let page: SipJsTestPage;
  let browser: Browser;

  const openPhone = async (user: string, password: string): Promise<Page> => {
    const tab = await (await browser.newContext()).newPage();
    await tab.goto(page.url);
    await tab.waitForFunction('window.phoneReady === true');
    await tab.evaluate(
      `window.phone.register('ws://127.0.0.1:${web.wsPort}', '${user}', '${password}', 'acme.example')`,
    );
    return tab;
  };

  const endedCalls = (): Record<string, unknown>[] =>
    web
      .platform()
      .logs()
      .filter((l) => l.msg === 'call ended');

  beforeAll(async () => {
    [web, page] = await Promise.all([startWebPhonePlatform(TOKEN), SipJsTestPage.start()]);
    // Host candidates on loopback (the test host's network).
    browser = await launchChromium(['--allow-loopback-in-peer-connection']);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await page?.close();
    await web?.stop();
  });

  it('calls a sipp phone: audio arrives in the browser and the browser RTP at the phone', async () => {
    const port = await freeUdpPort();
    expect((await sippRegister(web.remote, 'bob', 's3cret-Bob', port)).code).toBe(0);
    const phone = await sippAnsweringPhone(port, 30);
    const alice = await openPhone('alice', 's3cret-Alice');
    await alice.evaluate("window.phone.call('202')");
    await alice.waitForFunction("window.phone.state === 'Established'", undefined, {
      timeout: 15_000,
    });
    const audio = await hearsAudio(alice, 'audioLevel');
    expect(audio.audioLevel).toBeGreaterThan(0);
    await alice.evaluate('window.phone.hangup()');
    expect((await phone.done).code).toBe(0);
    const ended = await eventually(async () => endedCalls().at(-1), 5_000, 'the call record');
    // The browser's packets, unprotected and relayed to the phone's RTP port.
    expect(ended.rtpFromCaller).toBeGreaterThan(25);
    expect(ended.rtpFromCallee).toBeGreaterThan(25);
    await alice.context().close();
  }, 60_000);

  it('connects two browsers through the platform, SRTP to SRTP, audio both ways', async () => {
    const carol = await openPhone('carol', 's3cret-Carol');
    await carol.evaluate('window.phone.autoAnswer = true');
    const alice = await openPhone('alice', 's3cret-Alice');
    const before = endedCalls().length;
    await alice.evaluate("window.phone.call('203')");
    await alice.waitForFunction("window.phone.state === 'Established'", undefined, {
      timeout: 15_000,
    });
    // Chromium's fake microphone beeps: energy, not silence, crosses in each direction.
    await hearsAudio(alice, 'totalAudioEnergy');
    await hearsAudio(carol, 'totalAudioEnergy');
    await alice.evaluate('window.phone.hangup()');
    const ended = await eventually(
      async () => (endedCalls().length > before ? endedCalls().at(-1) : undefined),
      5_000,
      'the call record',
    );
    expect(ended.rtpFromCaller).toBeGreaterThan(25);
    expect(ended.rtpFromCallee).toBeGreaterThan(25);
    await alice.context().close();
    await carol.context().close();
  }, 60_000);
});
