// Browser measurements for README "Performance" (issue 8), printed, never
// asserted. Run by `bash scripts/bench.sh browser`, which builds ../../dist
// (slotlab, trunk --release) and ../../benches/bare-yew/dist first.
//
// - Time to interactive: navigation start → the console's input is in the
//   page (Yew has mounted and its listeners are live), for slotlab and for
//   the bare Yew app, each loaded RUNS times in a fresh browser context
//   (empty cache); medians and their ratio (budget ≤ 1.5×).
//   The same loads, traced: the renderer main thread's CPU time (thread
//   time, so waiting for a busy machine's cores does not count) from
//   navigation until the input exists, for both apps.
// - Keystroke latency with 100k keys loaded: real key presses in the
//   console input; for each, a performance mark at keydown and a measure
//   to the end of the frame that shows it (requestAnimationFrame, then a
//   task); median / p90 / max (budget ≤ 16 ms), plus the number of Event
//   Timing entries over 16 ms; and the script part alone: keydown → the
//   key's input event handled by the app and Yew's render done (same task,
//   no frame in between). The same keys typed into the bare Yew app
//   give the floor: what a keystroke costs on this machine with (almost)
//   no app at all.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..', '..');
const RUNS = Number(process.env.SLOTLAB_PERF_RUNS ?? 9);
// Another build to measure (default ../../dist), and `keys` or `tti` to
// measure only one of the two.
const DIST = process.env.SLOTLAB_PERF_DIST ?? path.join(ROOT, 'dist');
const ONLY = process.env.SLOTLAB_PERF_ONLY ?? '';

function serve(dir, port) {
  const child = spawn('python3', ['-m', 'http.server', '--bind', '127.0.0.1', '--directory', dir, String(port)], {
    stdio: 'ignore',
  });
  return child;
}

async function waitFor(url) {
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/** ms from navigation start until `selector` is in the DOM, and the main
 * thread's CPU ms until then (from a trace: the thread time of its tasks). */
async function timeToInteractive(browser, url, selector) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript((sel) => {
    const check = () => {
      if (!window.__tti && document.querySelector(sel)) {
        window.__tti = performance.now();
        performance.mark('slotlab-tti');
      }
    };
    new MutationObserver(check).observe(document, { childList: true, subtree: true });
  }, selector);
  await browser.startTracing(page, { categories: ['disabled-by-default-devtools.timeline', 'blink.user_timing'] });
  await page.goto(url);
  await page.waitForSelector(selector);
  await page.waitForFunction(() => window.__tti !== undefined);
  const tti = await page.evaluate(() => window.__tti);
  const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
  const mark = events.find((e) => e.name === 'slotlab-tti');
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && e.pid === mark?.pid);
  const cpu =
    events
      .filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.name === 'RunTask' && e.ph === 'X' && e.ts <= mark.ts)
      .reduce((sum, e) => sum + (e.tdur ?? 0), 0) / 1000;
  await context.close();
  return { tti, cpu };
}

async function keystrokes(browser, url, selector = '#cli-input-a', sample = true) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  const input = page.locator(selector);
  await input.waitFor();
  const loadStart = Date.now();
  if (sample) {
    await page.getByRole('button', { name: '100,000 keys' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.loading').length === 0, null, { timeout: 120_000 });
    await page.waitForFunction(() => /^100,000 keys/.test(document.querySelector('.map-total')?.textContent ?? ''));
  }
  const loadMs = Date.now() - loadStart;
  await page.evaluate(() => {
    window.__slow = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.duration > 16) window.__slow++;
      }
    }).observe({ type: 'event', durationThreshold: 16, buffered: false });
    let n = 0;
    document.addEventListener(
      'keydown',
      () => {
        const i = n++;
        performance.mark(`key-${i}`);
        // Work: until a task after the key's events and Yew's render.
        setTimeout(() => performance.measure(`work-${i}`, `key-${i}`), 0);
        // Visible: until the end of the next frame.
        requestAnimationFrame(() =>
          setTimeout(() => performance.measure(`keystroke-${i}`, `key-${i}`), 0),
        );
      },
      { capture: true },
    );
    // Script: until the key's `input` event has reached the window, after
    // the app's own listener and the microtasks it queued (Yew renders in
    // a microtask): the app's JavaScript and wasm for the key, without the
    // frame Chromium may draw before a later task.
    window.addEventListener('input', () => {
      const i = n - 1;
      if (performance.getEntriesByName(`script-${i}`).length === 0) {
        queueMicrotask(() => performance.measure(`script-${i}`, `key-${i}`));
      }
    });
  });
  await input.click();
  const line = 'MGET user:12 {user12}.followers user:99999 cart:{user1000}';
  for (const ch of line) {
    await page.keyboard.press(ch === ' ' ? 'Space' : ch);
    await page.waitForTimeout(30);
  }
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Backspace');
    await page.waitForTimeout(30);
  }
  await page.waitForTimeout(200);
  const result = await page.evaluate(() => {
    const of = (prefix) =>
      performance.getEntriesByType('measure').filter((m) => m.name.startsWith(prefix)).map((m) => m.duration);
    return { times: of('keystroke-'), work: of('work-'), script: of('script-'), slow: window.__slow };
  });
  await context.close();
  return { loadMs, ...result };
}

const slotlabPort = 8141;
const barePort = 8142;
const servers = [serve(DIST, slotlabPort), serve(path.join(ROOT, 'benches', 'bare-yew', 'dist'), barePort)];
let browser;
try {
  await waitFor(`http://127.0.0.1:${slotlabPort}/index.html`);
  await waitFor(`http://127.0.0.1:${barePort}/index.html`);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const slot = [];
  const bare = [];
  if (ONLY !== 'keys') {
  // Interleaved, so that machine load hits both alike.
  for (let i = 0; i < RUNS; i++) {
    bare.push(await timeToInteractive(browser, `http://127.0.0.1:${barePort}/`, '#bare-input'));
    slot.push(await timeToInteractive(browser, `http://127.0.0.1:${slotlabPort}/`, '#cli-input-a'));
  }
  const s = median(slot.map((r) => r.tti));
  const b = median(bare.map((r) => r.tti));
  const sc = median(slot.map((r) => r.cpu));
  const bc = median(bare.map((r) => r.cpu));
  console.log(`tti: slotlab median ${s.toFixed(0)} ms, bare Yew median ${b.toFixed(0)} ms, ratio ${(s / b).toFixed(2)}x (budget 1.5x; ${RUNS} runs each)`);
  console.log(`tti: slotlab runs ${slot.map((x) => x.tti.toFixed(0)).join(' ')}; bare runs ${bare.map((x) => x.tti.toFixed(0)).join(' ')}`);
  console.log(`tti: main-thread CPU until the input exists: slotlab median ${sc.toFixed(0)} ms, bare Yew median ${bc.toFixed(0)} ms, ratio ${(sc / bc).toFixed(2)}x`);
  }
  if (ONLY !== 'tti') {
  const k = await keystrokes(browser, `http://127.0.0.1:${slotlabPort}/`);
  console.log(`keys: loading the 100,000-key sample took ${k.loadMs} ms`);
  console.log(
    `keystroke work with 100k keys (keydown → a task after Yew's render): median ${median(k.work).toFixed(1)} ms, ` +
      `p90 ${pct(k.work, 0.9).toFixed(1)} ms, max ${Math.max(...k.work).toFixed(1)} ms (budget 16 ms)`,
  );
  console.log(
    `keystroke to the end of the next frame, 100k keys: median ${median(k.times).toFixed(1)} ms, p90 ${pct(k.times, 0.9).toFixed(1)} ms, ` +
      `max ${Math.max(...k.times).toFixed(1)} ms over ${k.times.length} keys (budget 16 ms); event-timing entries over 16 ms: ${k.slow}`,
  );
  console.log(
    `keystroke script with 100k keys (keydown → its input event handled and rendered, same task): median ${median(k.script).toFixed(1)} ms, ` +
      `p90 ${pct(k.script, 0.9).toFixed(1)} ms, max ${Math.max(...k.script).toFixed(1)} ms over ${k.script.length} keys`,
  );
  const b = await keystrokes(browser, `http://127.0.0.1:${barePort}/`, '#bare-input', false);
  console.log(
    `keystroke script in the bare Yew app: median ${median(b.script).toFixed(1)} ms, ` +
      `p90 ${pct(b.script, 0.9).toFixed(1)} ms, max ${Math.max(...b.script).toFixed(1)} ms`,
  );
  console.log(
    `keystroke work in the bare Yew app (the floor): median ${median(b.work).toFixed(1)} ms, ` +
      `p90 ${pct(b.work, 0.9).toFixed(1)} ms, max ${Math.max(...b.work).toFixed(1)} ms`,
  );
  }
} finally {
  if (browser) await browser.close();
  for (const s of servers) s.kill();
}
