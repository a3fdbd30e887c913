// Rendering a long list: from the settings data in hand (`mail:settings-data`, set when the response
// arrives, before decoding) to the rows painted (`mail:settings-ready`), against a vanilla-JS
// baseline that turns the same JSON text into the same rows in the same page, in the same run;
// and updating one row (Hide) until the next paint, in the app and in the baseline.

import { DATA, markTime, READY } from './browser.mjs';
import { ADMIN_PAGE } from './load.mjs';
import { captureIcons, compareRows, hideRow, vanillaRender } from './page/vanilla.js';
import { median, pairedRatio } from './stats.mjs';

/** One page run: the app's render, one row hidden, then the baseline's render and its row. */
async function renderOnce(browser, origin) {
  const page = await browser.newPage();
  try {
    await page.goto(origin + ADMIN_PAGE, { waitUntil: 'domcontentloaded' });
    const ready = await markTime(page, READY);
    const app = ready - (await markTime(page, DATA));
    const rows = await page.$$eval('table.services tbody tr', (trs) => trs.length);
    // A row in the middle: the update must find its row among the others.
    const row = rows >> 1;
    const appUpdate = await page.evaluate(hideRow, row, false);
    // The same JSON text the app received, fetched outside the timing.
    const json = await page.evaluate(() => fetch('/api/admin/settings').then((r) => r.text()));
    const icons = await page.evaluate(captureIcons);
    const vanilla = await page.evaluate(vanillaRender, json, icons);
    const vanillaUpdate = await page.evaluate(hideRow, row, true);
    const same = await page.evaluate(compareRows, row);
    return { app, vanilla, appUpdate, vanillaUpdate, rows, same };
  } finally {
    await page.close();
  }
}

/** `runs` page runs with the list as the server holds it now. */
export async function measureRender(browser, origin, runs) {
  const samples = [];
  for (let run = 0; run < runs; run++) samples.push(await renderOnce(browser, origin));
  const of = (key) => samples.map((sample) => sample[key]);
  return {
    rows: samples[0].rows,
    app: median(of('app')),
    vanilla: median(of('vanilla')),
    ratio: pairedRatio(of('app'), of('vanilla')),
    appUpdate: median(of('appUpdate')),
    vanillaUpdate: median(of('vanillaUpdate')),
    // The baseline is only a baseline while its rows are the app's rows.
    difference: samples.map((sample) => sample.same.difference).find(Boolean) ?? null,
    runs,
  };
}
