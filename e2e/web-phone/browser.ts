import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Screenshots of the page's main states, kept as test artifacts (git ignores the folder). */
export const ARTIFACTS = join(__dirname, '..', '..', 'artifacts', 'web-phone');

export const CHROMIUM = '/usr/bin/chromium';

/** Headless Chromium with a fake microphone that needs no permission prompt. */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--disable-features=WebRtcHideLocalIpsWithMdns',
      '--autoplay-policy=no-user-gesture-required',
      ...extraArgs,
    ],
  });
}

const KEEP_PEER_CONNECTIONS = `
  window.__peerConnections = [];
  const Original = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Original {
    constructor(configuration) {
      super(configuration);
      window.__peerConnections.push(this);
    }
  };
`;

/**
 * A fresh page of the web phone. Every RTCPeerConnection the page creates is kept in
 * `window.__peerConnections`, so that a test can read getStats() without a hook in the app.
 */
export async function openPhone(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 720, height: 1100 } });
  // Browser code as text: this project's TypeScript has no DOM types (it type-checks Node code).
  await context.addInitScript({ content: KEEP_PEER_CONNECTIONS });
  const page = await context.newPage();
  await page.goto(`${url}/phone/`);
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('SIP username').fill(username);
  await page.getByLabel('SIP password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
