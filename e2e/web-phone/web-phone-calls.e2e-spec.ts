import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { eventually, freeUdpPort, sippAvailable, startSipp, type SippResult } from '@pbx/testing';
import { sippAuth, sippRegister } from '../sip/sip-platform';
import { CHROMIUM, launchChromium, openPhone, screenshot, signIn } from './browser';
import { RtpPeer } from './rtp-peer';
import { startWebPhonePlatform, type WebPhonePlatform } from './web-phone-platform';

// Issue 6's "done when" for the web phone: calls with audio between headless Chromium and sipp
// phones through the platform, which bridges the browser's DTLS-SRTP/Opus leg to G.711 RTP.
// The sipp phones' media is a test socket (RtpPeer) that counts what arrives and sends a tone.
const TOKEN = 'e2e-operator-token-web-phone-calls-0123456789abcdef';
const scenario = (name: string): string => join(__dirname, 'scenarios', name);
const suite = sippAvailable() && existsSync(CHROMIUM) ? describe : describe.skip;

interface InboundAudio {
  readonly packetsReceived: number;
  readonly audioLevel: number;
  readonly totalAudioEnergy: number;
}

/** The page's inbound audio as WebRTC reports it (the last peer connection it made). */
async function inboundAudio(page: Page): Promise<InboundAudio | undefined> {
  return page.evaluate(`(async () => {
    const pc = window.__peerConnections[window.__peerConnections.length - 1];
    if (!pc) return undefined;
    let found;
    (await pc.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        found = { packetsReceived: s.packetsReceived, audioLevel: s.audioLevel ?? 0, totalAudioEnergy: s.totalAudioEnergy ?? 0 };
      }
    });
    return found;
  })()`);
}

/** Waits until the browser has received and played audio with a level above silence. */
async function hearsAudio(page: Page): Promise<InboundAudio> {
  return eventually(
    async () => {
      const audio = await inboundAudio(page);
      return audio && audio.packetsReceived > 25 && audio.audioLevel > 0 ? audio : undefined;
    },
    10_000,
    'inbound audio in the browser (getStats)',
  );
}

suite('web phone calls with audio', () => {
  let web: WebPhonePlatform;
  let browser: Browser;
  let page: Page;
  const peers: RtpPeer[] = [];

  const peer = async (): Promise<RtpPeer> => {
    const opened = await RtpPeer.open();
    peers.push(opened);
    return opened;
  };

  beforeAll(async () => {
    [web, browser] = await Promise.all([startWebPhonePlatform(TOKEN), launchChromium()]);
    page = await openPhone(browser, web.url);
    if (process.env.WEBPHONE_DEBUG) {
      page.on('console', (m) => process.stdout.write(`[page] ${m.type()} ${m.text()}\n`));
    }
    await signIn(page, 'alice@acme.example', 's3cret-Alice');
    await page.getByText('Registered as alice@acme.example').waitFor({ timeout: 10_000 });
  }, 120_000);

  afterAll(async () => {
    for (const p of peers) p.close();
    if (process.env.WEBPHONE_DEBUG) process.stdout.write(web?.platform().output() ?? '');
    await browser?.close();
    await web?.stop();
  });

  it('calls a sipp phone: audio both ways, DTMF, mute, hold and resume, then its hang-up', async () => {
    const media = await peer();
    const contactPort = await freeUdpPort();
    expect((await sippRegister(web.remote, 'carol', 's3cret-Carol', contactPort)).code).toBe(0);
    const callee = startSipp({
      scenario: scenario('uas-answer-then-bye.xml'),
      localPort: contactPort,
      rows: [[String(media.port)]],
      calls: 1,
      pauseMs: 1_500,
      timeoutS: 40,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await page.getByLabel('Number or extension').fill('203');
    await page.getByLabel('Number or extension').press('Enter');
    await page.getByRole('heading', { name: 'In call with 203' }).waitFor({ timeout: 10_000 });
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe(
      'hang-up',
    );
    // Screen readers hear the call's steps from a live region.
    const announcer = page.locator('#announcer');
    expect(await announcer.textContent()).toBe('Connected to 203');

    // The browser's voice reaches the sipp side as G.711; the sipp side's tone is heard.
    await eventually(
      async () => (media.audioPackets > 25 ? true : undefined),
      10_000,
      'RTP from the browser at the sipp phone',
    );
    const heard = await hearsAudio(page);
    expect(heard.totalAudioEnergy).toBeGreaterThan(0);
    await screenshot(page, '09-in-call');

    // A keypad click and a key typed on the keyboard: RFC 4733 events at the sipp side.
    const keypad = page.getByRole('group', { name: 'Keypad: send tones' });
    await keypad.getByRole('button', { name: '5' }).click();
    await page.getByText('Tone sent: 5').waitFor();
    await page.locator('body').press('#');
    await page.getByText('Tone sent: #').waitFor();
    await eventually(
      async () => (media.digits === '5#' ? true : undefined),
      5_000,
      'DTMF 5# at the sipp phone',
    );

    await page.getByRole('button', { name: 'Mute' }).click();
    await page.locator('#call-state').getByText('Microphone muted').waitFor();
    expect(await announcer.textContent()).toBe('Microphone muted');
    await page.getByRole('button', { name: 'Unmute' }).click();
    await page.getByRole('button', { name: 'Mute' }).waitFor();

    // Hold and resume are re-INVITEs the platform relays to the sipp phone (its scenario
    // expects exactly two before it hangs up).
    await page.getByRole('button', { name: 'Hold' }).click();
    await page.getByRole('heading', { name: 'On hold: 203' }).waitFor({ timeout: 5_000 });
    expect(await announcer.textContent()).toBe('Call on hold');
    expect(await keypad.count()).toBe(0);
    await screenshot(page, '10-on-hold');
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('heading', { name: 'In call with 203' }).waitFor({ timeout: 5_000 });

    const result = await callee.done;
    expect(result.errors).toBe('');
    expect(result.code).toBe(0);
    await page.getByText('203 hung up.').waitFor({ timeout: 5_000 });
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe(
      'number',
    );
    const first = page.locator('#log-rows tr').first();
    await eventually(
      async () => ((await first.textContent())?.includes('Answered') ? true : undefined),
      10_000,
      'the answered call in the call log',
    );
    expect(await first.locator('td').nth(0).textContent()).toBe('Outgoing');
    expect(await first.locator('td').nth(3).textContent()).toMatch(/^0:\d\d$/);
    await screenshot(page, '11-call-log-answered');
  }, 60_000);

  it('answers a sipp caller: audio both ways, then hangs up', async () => {
    const media = await peer();
    const caller: Promise<SippResult> = startSipp({
      scenario: scenario('uac-call-answered.xml'),
      remote: web.remote,
      localPort: await freeUdpPort(),
      rows: [['bob', 'acme.example', sippAuth('bob', 's3cret-Bob'), '201', String(media.port)]],
      calls: 1,
      timeoutS: 40,
      extraArgs: ['-auth_uri', '201@acme.example'],
    }).done;
    await page.getByRole('button', { name: 'Answer' }).click();
    await page
      .getByRole('heading', { name: 'In call with Bob de Vries (202)' })
      .waitFor({ timeout: 10_000 });
    await eventually(
      async () => (media.audioPackets > 25 ? true : undefined),
      10_000,
      'RTP from the browser at the sipp phone',
    );
    await hearsAudio(page);
    await page.getByRole('button', { name: 'Hang up' }).click();
    const result = await caller;
    expect(result.errors).toBe('');
    expect(result.code).toBe(0);
    await page.getByText('Call with Bob de Vries (202) ended.').waitFor();
  }, 60_000);

  it('calls another browser, which answers: audio both ways', async () => {
    const other = await openPhone(browser, web.url);
    await signIn(other, 'bob-mobile@acme.example', 's3cret-Bob2');
    await other.getByText('Registered as bob-mobile@acme.example').waitFor({ timeout: 10_000 });
    await page.getByLabel('Number or extension').fill('202');
    await page.getByLabel('Number or extension').press('Enter');
    await other.getByRole('button', { name: 'Answer' }).click();
    await page.getByRole('heading', { name: /^In call with 202/ }).waitFor({ timeout: 10_000 });
    await other.getByRole('heading', { name: /^In call with Alice Jansen/ }).waitFor();
    await Promise.all([hearsAudio(page), hearsAudio(other)]);
    await other.getByRole('button', { name: 'Hang up' }).click();
    await page.getByText('202 hung up.').waitFor({ timeout: 5_000 });
    await other.context().close();
  }, 60_000);
});
