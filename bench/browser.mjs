// Debian's headless Chromium through puppeteer-core (no browser is downloaded), with a fresh
// profile that is removed afterwards, and the page helpers the measurements share.

import puppeteer from 'puppeteer-core';

import { killProcess, onCleanup, tempDir } from './cleanup.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export const READY = 'mail:settings-ready';
export const DATA = 'mail:settings-data';

/** Launches headless Chromium; `close()` ends it and removes its profile. */
export async function launchChromium() {
  const profile = tempDir('chromium');
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile.dir,
    // Our own handlers end the browser (cleanup.mjs), also on Ctrl-C.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    defaultViewport: { width: 1280, height: 900 },
    protocolTimeout: 120_000,
    // Chromium's own temporary files go inside the profile, and so are removed with it.
    env: { ...process.env, TMPDIR: profile.dir },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const pid = browser.process()?.pid;
  // puppeteer starts Chromium as the leader of its own process group: end the whole group.
  const killNow = onCleanup(() => pid && killProcess(pid, { group: true }));
  return {
    browser,
    /** The DevTools port, for Lighthouse to connect to this browser (and its cookies). */
    port: Number(new URL(browser.wsEndpoint()).port),
    async close() {
      await browser.close().catch(() => {});
      killNow();
      profile.remove();
    },
  };
}

/** Gives the browser the session cookie `name=value` of `origin` (what signing in would set). */
export async function setSessionCookie(browser, origin, cookie) {
  const page = await browser.newPage();
  try {
    const client = await page.createCDPSession();
    await client.send('Network.clearBrowserCookies');
    if (cookie) {
      const [name, ...value] = cookie.split('=');
      await client.send('Network.setCookie', {
        name,
        value: value.join('='),
        url: origin,
        path: '/',
        httpOnly: true,
        sameSite: 'Strict',
      });
    }
  } finally {
    await page.close();
  }
}

/** Resolves to the start time of the User Timing mark `name` (ms from navigation start). */
export async function markTime(page, name, timeout = 60_000) {
  try {
    const handle = await page.waitForFunction(
      (mark) => performance.getEntriesByName(mark, 'mark')[0]?.startTime,
      { timeout, polling: 20 },
      name,
    );
    return await handle.jsonValue();
  } catch (error) {
    const heading = await page.$eval('h1', (h1) => h1.textContent).catch(() => 'none');
    throw new Error(`${page.url()} set no "${name}" mark (${error.message}; the page's heading: ${heading})`);
  }
}

/**
 * The browser-side "painted" wait shared by every measurement, the same as the app's
 * `mark_after_paint`: the next animation frame, then the task after it.
 */
export const AFTER_PAINT = 'new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))';
