// Load: navigation start → the admin list rendered (the app's `mail:settings-ready` mark), against
// the same list as a static HTML page served by the same server; and Lighthouse scores.

import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';

import { markTime, READY, setSessionCookie } from './browser.mjs';
import { ADMIN, seedServices, startServer } from './server.mjs';
import { median, pairedRatio } from './stats.mjs';

export const ADMIN_PAGE = '/admin/email/services';
export const STATIC_PAGE = '/bench-admin-services.html';
const STATIC_READY_SCRIPT = '/bench-static-ready.js';

/**
 * Writes the static baseline into `distCopy`: the app's own rendered admin page with 50 services
 * as HTML, with the app's scripts and preloads removed, the same stylesheet link kept, and an
 * external script that sets the same "rendered" mark. The page is rendered by a server of its own
 * that is stopped before the measured one starts: a server may read its files only at start-up.
 * Returns how many rows the page holds.
 */
export async function writeStaticPage({ bin, browser, distCopy }) {
  const server = await startServer({ bin, dist: distCopy });
  try {
    const admin = await server.api.signIn(ADMIN);
    await seedServices(server.api, admin, 50);
    await setSessionCookie(browser, server.origin, admin);
    const page = await browser.newPage();
    await page.goto(server.origin + ADMIN_PAGE);
    await markTime(page, READY);
    const { html, rows } = await page.evaluate(() => {
      // Form state lives in properties, which outerHTML does not show: copy it into attributes.
      for (const input of document.querySelectorAll('input')) {
        input.toggleAttribute('checked', input.checked);
        if (input.type === 'text' || input.type === 'search') input.setAttribute('value', input.value);
      }
      for (const option of document.querySelectorAll('option')) option.toggleAttribute('selected', option.selected);
      return {
        html: document.documentElement.outerHTML,
        rows: document.querySelectorAll('table.services tbody tr').length,
      };
    });
    await page.close();
    const body = html
      .replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '')
      .replace(/<link\b[^>]*\brel="(?:modulepreload|preload)"[^>]*>/g, '')
      .replace('</body>', `<script src="${STATIC_READY_SCRIPT}"></script></body>`);
    writeFileSync(join(distCopy, STATIC_PAGE), `<!doctype html>${body}`);
    copyFileSync(new URL('./page/static-ready.js', import.meta.url), join(distCopy, STATIC_READY_SCRIPT));
    return rows;
  } finally {
    await server.stop();
  }
}

/**
 * One cold load (HTTP cache off, as on a first visit) of `url` in a new tab: ms to the mark, and
 * the bytes the wasm took on the wire (Resource Timing), when the page loads one.
 */
async function loadOnce(browser, url) {
  const page = await browser.newPage();
  try {
    await page.setCacheEnabled(false);
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    const time = await markTime(page, READY);
    const wasm = await page.evaluate(
      () => performance.getEntriesByType('resource').find((entry) => entry.name.endsWith('.wasm'))?.transferSize,
    );
    return { time, wasm };
  } finally {
    await page.close();
  }
}

/**
 * `runs` pairs of loads, app and static page interleaved (the order alternates, so neither always
 * goes first on a machine that speeds up or slows down during the run).
 */
export async function measureLoad(browser, origin, runs) {
  const app = [];
  const page = [];
  let wasm;
  for (let run = 0; run < runs; run++) {
    const order = run % 2 ? ['static', 'app'] : ['app', 'static'];
    for (const which of order) {
      if (which === 'app') {
        const load = await loadOnce(browser, origin + ADMIN_PAGE);
        app.push(load.time);
        wasm = load.wasm;
      } else {
        page.push((await loadOnce(browser, origin + STATIC_PAGE)).time);
      }
    }
  }
  return { app: median(app), static: median(page), ratio: pairedRatio(app, page), runs, wasm };
}

/** One Lighthouse run of `category` on `url` in the browser at `port` (its cookies included). */
export async function lighthouseRun(port, url, { preset = 'mobile', category = 'performance' } = {}) {
  const flags = { port, output: 'json', logLevel: 'error', onlyCategories: [category] };
  let lhr;
  // On a busy machine Lighthouse now and then fails to record its trace (NO_NAVSTART and the
  // like): such a run has no score, and is tried again, twice at most.
  for (let attempt = 1; attempt <= 3; attempt++) {
    lhr = (await lighthouse(url, flags, preset === 'desktop' ? desktopConfig : undefined))?.lhr;
    if (lhr && !lhr.runtimeError) break;
    console.error(`bench: Lighthouse on ${url}, attempt ${attempt}: ${lhr?.runtimeError?.code ?? 'no result'}`);
  }
  if (!lhr || lhr.runtimeError) throw new Error(`Lighthouse failed on ${url}: ${lhr?.runtimeError?.message ?? 'no result'}`);
  const score = lhr.categories[category].score;
  if (score === null) throw new Error(`Lighthouse gave no ${category} score for ${url}`);
  const failing = lhr.categories[category].auditRefs
    .filter((ref) => ref.weight > 0 && lhr.audits[ref.id].score !== null && lhr.audits[ref.id].score < 1)
    .map((ref) => ref.id);
  const metric = (id) => lhr.audits[id]?.numericValue;
  return {
    score: Math.round(score * 100),
    failing,
    lcp: metric('largest-contentful-paint'),
    tbt: metric('total-blocking-time'),
    finalUrl: lhr.finalDisplayedUrl,
  };
}

/** Lighthouse performance with one preset, `runs` times: the median score and metrics. */
export async function lighthousePerformance(port, url, preset, runs) {
  const results = [];
  for (let run = 0; run < runs; run++) results.push(await lighthouseRun(port, url, { preset }));
  const wrongPage = results.find((r) => !r.finalUrl.endsWith(ADMIN_PAGE));
  if (wrongPage) throw new Error(`Lighthouse ended on ${wrongPage.finalUrl}, not the admin page: signed out?`);
  return {
    score: median(results.map((r) => r.score)),
    scores: results.map((r) => r.score),
    lcp: median(results.map((r) => r.lcp)),
    tbt: median(results.map((r) => r.tbt)),
    runs,
  };
}
