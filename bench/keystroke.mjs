// Keystroke → validation message in the Add dialog: real key presses (DevTools' Input domain) into
// the SMTP server field, each timed in the page from its `input` event (a capturing listener on the
// window, so it runs before the app's own) to the first change of the field's messages (a
// MutationObserver on them).

import { markTime, READY } from './browser.mjs';
import { ADMIN_PAGE } from './load.mjs';
import { median, percentile } from './stats.mjs';

const TEXT = 'smtp.example.com:465';
const FIELD = 'input[placeholder="smtp.example.com:465"]';

function installProbe(field) {
  const input = document.querySelector(field);
  const messages = document.getElementById(input.getAttribute('aria-describedby'));
  if (!messages) throw new Error('the SMTP field names no messages element (aria-describedby)');
  const probe = { armed: false, start: 0, samples: [] };
  window.addEventListener(
    'input',
    () => {
      if (probe.armed) probe.start = performance.now();
    },
    true,
  );
  new MutationObserver(() => {
    if (probe.armed && probe.start) {
      probe.samples.push(performance.now() - probe.start);
      probe.armed = false;
    }
  }).observe(messages, { subtree: true, childList: true, characterData: true, attributes: true });
  window.benchProbe = probe;
}

/** Resolves to whether keystroke number `count` changed the messages (waits up to 100 ms). */
async function changed(count) {
  const until = performance.now() + 100;
  while (window.benchProbe.samples.length <= count && performance.now() < until) {
    await new Promise((done) => setTimeout(done, 5));
  }
  window.benchProbe.armed = false;
  return window.benchProbe.samples.length > count;
}

/**
 * Types `TEXT` character by character, clears the field (not timed) and starts again, until
 * `keystrokes` keystrokes changed the messages. A keystroke that leaves them as they were (a dot
 * after a complete label: the check's result is the same) has no message change to time, and is
 * counted apart.
 */
export async function measureKeystrokes(browser, origin, keystrokes) {
  const page = await browser.newPage();
  try {
    await page.goto(origin + ADMIN_PAGE, { waitUntil: 'domcontentloaded' });
    await markTime(page, READY);
    await page.click('button.add-button');
    await page.waitForSelector(FIELD, { visible: true });
    await page.evaluate(installProbe, FIELD);
    await page.focus(FIELD);
    let timed = 0;
    let unchanged = 0;
    while (timed < keystrokes) {
      for (const character of TEXT) {
        await page.evaluate(() => {
          window.benchProbe.armed = true;
          window.benchProbe.start = 0;
        });
        await page.keyboard.type(character);
        if (await page.evaluate(changed, timed)) timed++;
        else unchanged++;
        if (unchanged > 4 * keystrokes) throw new Error('typing into the SMTP field changes no message');
      }
      await page.click(FIELD, { count: 3 });
      await page.keyboard.press('Backspace');
    }
    const samples = await page.evaluate(() => window.benchProbe.samples);
    return { median: median(samples), p95: percentile(samples, 95), timed: samples.length, unchanged };
  } finally {
    await page.close();
  }
}
