// The run behind scripts/wasm_keep.txt (`python3 scripts/wasm_split.py
// --profile`, which builds the instrumented site this script is given):
// headless Chromium opens slotlab, types a few everyday commands, reloads
// the page (the saved session comes back) and runs one more, then opens the
// page every other way (views, embeds, links, languages, a lesson); after
// each page, the instrumented wasm writes which functions ran to <out>.<n>.
// Those functions stay in the first wasm module; the rest is fetched after
// the page has started.
//
// Usage: node perf/profile.mjs <site folder> <out prefix>
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { chromium } from '@playwright/test';

const [site, out] = process.argv.slice(2);
const PORT = Number(process.env.SLOTLAB_PROFILE_PORT ?? 8231);
const server = spawn('python3', ['-m', 'http.server', '--bind', '127.0.0.1', '--directory', site, String(PORT)], {
  stdio: 'ignore',
});
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/index.html`)).ok) break;
    } catch {}
    if (i > 100) throw new Error('the profiling server did not come up');
    await new Promise((r) => setTimeout(r, 100));
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  let page = await (await browser.newContext({ locale: 'en-US' })).newPage();
  page.on('pageerror', (e) => console.error('page error:', String(e)));
  const input = page.getByLabel('Command', { exact: true });
  const open = async () => {
    await input.waitFor();
    await page.waitForTimeout(500);
  };
  // Typed key by key, as a learner does: the hints under the prompt follow
  // every keystroke.
  const run = async (line) => {
    await input.fill('');
    await input.pressSequentially(line);
    await input.press('Enter');
    await page.waitForTimeout(300);
  };
  let n = 0;
  const dump = async () => {
    const bytes = await page.evaluate(() => {
      const w = window.__slotlabWasm;
      const len = 1 << 20;
      const ptr = w.__wbindgen_malloc(len, 8);
      const size = w.__write_profile(ptr, len);
      return Array.from(new Uint8Array(w.memory.buffer, ptr, size));
    });
    fs.writeFileSync(`${out}.${++n}`, Buffer.from(bytes));
  };
  await page.goto(`http://127.0.0.1:${PORT}/`);
  await open();
  for (const line of ['SET foo bar', 'GET foo', 'CLUSTER KEYSLOT foo', 'MSET a 1 b 2', 'INCR n', 'DEL foo']) {
    await run(line);
  }
  await dump();
  // The session is saved 200 ms after the last change; the reload restores it.
  await page.waitForTimeout(1000);
  const session = await page.evaluate(() => location.hash);
  await page.reload();
  await open();
  await run('GET foo');
  await dump();
  // The other ways in: each view, an embed (with and without a session),
  // a session link, commands in the link, a theme, the other languages.
  // Whatever they run at the start stays in the first module, so none of
  // them waits for the second one before the page shows. Not lessons: their
  // data and code (about 25 KB of gzip) would not fit the first-load budget,
  // so a page that opens one fetches the second module first.
  const ways = [
    '/?view=console', '/?view=map', '/?view=trace', '/?embed=1', `/?embed=1&view=console${session}`,
    `/${session}`, '/?cmds=SET%20a%201%0AGET%20a', '/?theme=dark', '/?lang=zh', '/?lang=ja',
  ];
  for (const way of ways) {
    await page.goto(`http://127.0.0.1:${PORT}${way}`);
    await open();
    await run('GET foo');
    await dump();
  }
  // A page that opens a lesson waits for the second module before it
  // starts (src/ui/mod.rs): what it runs until then stays in the first
  // module, the lesson itself does not. This copy has no second module, so
  // the wait is made endless here and the profile is taken while waiting.
  const lessons = await browser.newPage();
  await lessons.addInitScript(() => {
    globalThis.__slotlabSecondModule = () => new Promise(() => {});
  });
  await lessons.goto(`http://127.0.0.1:${PORT}/?lesson=hash-tags`);
  await lessons.waitForTimeout(1000);
  page = lessons;
  await dump();
  await browser.close();
} finally {
  server.kill();
}
