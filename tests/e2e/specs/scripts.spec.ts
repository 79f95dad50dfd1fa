// End-to-end flows of the script panel: the seed's stock-decrement script
// refused on its undeclared order key (with the trace naming the call, the
// rule and the node), the seckill script with a {p1} hash tag succeeding, a
// runaway script stopped while the page and the console keep working, the
// editor's keyboard, function mode, the emulated version — and screenshots
// at desktop and phone sizes in light and dark (saved under ../screenshots).
import { expect, Page, test } from '@playwright/test';
import { lastEntry, open, screenshot, screenshotCases } from './helpers';


/** Loads an example and presses "Run script". */
async function runExample(page: Page, id: string) {
  await page.locator(`#script-example-${id}`).click();
  const summary = page.locator('.script-summary');
  const before = (await summary.count()) ? await summary.textContent() : null;
  const entries = page.locator('#client-a .transcript .entry');
  const count = await entries.count();
  await page.getByRole('button', { name: 'Run script' }).click();
  await expect(entries).not.toHaveCount(count);
  if (before !== null) await expect(summary).not.toHaveText(before);
}

async function stock(page: Page) {
  await runExample(page, 'stock');
}

async function seckill(page: Page) {
  await runExample(page, 'seckill');
}

async function runaway(page: Page) {
  await runExample(page, 'runaway');
}

test.beforeEach(async ({ page }) => {
  await open(page, '/', (p) => p.getByLabel('Lua script'));
});

test('the stock script: the undeclared order key is refused as non local, on its node', async ({ page }) => {
  await stock(page);
  const lines = await lastEntry(page);
  expect(lines[0]).toMatch(/^127\.0\.0\.1:7000> EVAL "-- The seed's stock decrement\..*" 1 stock:phone$/);
  expect(lines.slice(1)).toEqual([
    '-> Redirected to slot [10032] located at 127.0.0.1:7001',
    '(error) ERR Script attempted to access a non local key in a cluster node script: ' +
      '6344181eaf026cf285f9a1e2c9500e49cfe8aa6a, on @user_script:7.',
  ]);
  const trace = page.locator('.script-trace');
  await expect(trace.locator('.script-summary')).toHaveText(
    'Ran on 127.0.0.1:7001: 4 redis.calls, one refused at line 7.',
  );
  await expect(trace.locator('.route-step')).toHaveText([
    'EVAL → 127.0.0.1:7000: MOVED 10032 127.0.0.1:7001 → the client is sent to :7001',
    'EVAL → 127.0.0.1:7001: ran the script',
  ]);
  await expect(trace.locator('.call.allowed')).toHaveCount(3);
  const refused = trace.locator('.call.refused');
  await expect(refused).toHaveCount(1);
  await expect(refused.locator('.call-code')).toHaveText("redis.call('HSET', 'order:1001', 'status', 'paid')");
  await expect(refused.locator('.verdict-badge')).toHaveText('✗ refused: non local key');
  await expect(refused.locator('.script-key.undeclared')).toContainText('order:1001 → slot 241 → :7000');
  await expect(refused.locator('.why')).toContainText('A script can only touch keys of the node it runs on');
  await expect(refused.locator('.call-reply')).toHaveText(
    '(error) ERR Script attempted to access a non local key in a cluster node',
  );
  await expect(trace.locator('.script-effects')).toContainText('stock:phone');
  // The refused call's line, highlighted in the editor on click.
  await expect(page.locator('.lua-num.mark-bad')).toHaveText(['7']);
  await refused.getByRole('button', { name: 'Show line 7 in the editor' }).click();
  await expect(page.locator('.lua-line.hl')).toHaveText("  redis.call('HSET', 'order:1001', 'status', 'paid')");
  await expect(page.locator('.lua-num.hl')).toHaveText('7');
  // The DECR stayed.
  const input = page.getByLabel('Command', { exact: true });
  await input.fill('GET stock:phone');
  await input.press('Enter');
  await expect.poll(() => lastEntry(page)).toEqual(['127.0.0.1:7001> GET stock:phone', '"9"']);
});

test('declaring both stock keys is CROSSSLOT before the script runs', async ({ page }) => {
  await runExample(page, 'stock-declared');
  expect((await lastEntry(page)).slice(1)).toEqual([
    "(error) CROSSSLOT Keys in request don't hash to the same slot",
  ]);
  await expect(page.locator('.script-summary')).toContainText('the declared keys hash to different slots');
  await expect(page.locator('.script-trace .calls')).toHaveCount(0);
});

test('the seckill script with a {p1} hash tag succeeds, every call on one node', async ({ page }) => {
  await seckill(page);
  expect((await lastEntry(page)).slice(1)).toEqual([
    '-> Redirected to slot [11819] located at 127.0.0.1:7002',
    '(integer) 1',
  ]);
  const trace = page.locator('.script-trace');
  await expect(trace.locator('.script-summary')).toHaveText('Ran on 127.0.0.1:7002: 5 redis.calls, all allowed.');
  await expect(trace.locator('.call.allowed')).toHaveCount(5);
  await expect(trace.locator('.call.refused')).toHaveCount(0);
  await expect(trace.locator('.call .script-key.undeclared')).toHaveCount(0);
  await expect(trace.locator('.script-reply')).toHaveText('(integer) 1');
  // Same user again: -1.
  await page.getByRole('button', { name: 'Run script' }).click();
  await expect(trace.locator('.script-reply')).toHaveText('(integer) -1');
});

test('a runaway script is stopped, the page stays responsive and the console still works', async ({ page }) => {
  const started = Date.now();
  await runaway(page);
  expect(Date.now() - started).toBeLessThan(5_000);
  await expect(page.locator('.script-summary')).toHaveText(
    "Ran on 127.0.0.1:7000 and was stopped by slotlab's step budget (it had made no redis.call).",
  );
  await expect(page.locator('.script-stopped')).toContainText('Stopped.');
  await expect(page.locator('.script-reply')).toHaveText(
    '(error) ERR slotlab stopped the script: it ran past its step budget ' +
      '(a real server would keep running it and answer BUSY to other clients)',
  );
  // The page still draws frames.
  const frame = await page.evaluate(
    () => new Promise<number>((r) => { const t = performance.now(); requestAnimationFrame(() => r(performance.now() - t)); }),
  );
  expect(frame).toBeLessThan(1_000);
  const input = page.getByLabel('Command', { exact: true });
  await input.fill('SET foo bar');
  await input.press('Enter');
  await expect.poll(() => lastEntry(page)).toEqual([
    '127.0.0.1:7000> SET foo bar',
    '-> Redirected to slot [12182] located at 127.0.0.1:7002',
    'OK',
  ]);
});

test('the editor: Tab indents, Esc then Tab leaves, Ctrl+Enter runs', async ({ page }) => {
  const editor = page.getByLabel('Lua script');
  await editor.fill('');
  await editor.press('Tab');
  await editor.pressSequentially("return redis.call('PING')");
  await expect(editor).toHaveValue("  return redis.call('PING')");
  await expect(page.locator('.lua-line').first()).toHaveText("  return redis.call('PING')");
  await expect(page.locator('.lua-line .tok-api')).toHaveText(['redis', 'call']);
  // Enter keeps the indentation.
  await editor.press('Enter');
  await editor.pressSequentially('-- x');
  await expect(editor).toHaveValue("  return redis.call('PING')\n  -- x");
  await expect(page.locator('.lua-num')).toHaveText(['1', '2']);
  await page.getByLabel('KEYS', { exact: true }).fill('');
  await editor.press('Control+Enter');
  await expect.poll(() => lastEntry(page)).toEqual([
    '127.0.0.1:7000> EVAL "  return redis.call(\'PING\')\\n  -- x" 0',
    'PONG',
  ]);
  await editor.press('Escape');
  await editor.press('Tab');
  await expect(editor).not.toBeFocused();
  await expect(page.getByLabel('KEYS', { exact: true })).toBeFocused();
});

test('function mode loads the library on every master and runs FCALL', async ({ page }) => {
  await page.locator('#script-example-stock').click();
  await page.getByLabel('FUNCTION + FCALL').check();
  await expect(page.locator('.run-preview code')).toHaveText('FCALL panel 1 stock:phone');
  await page.getByRole('button', { name: 'Run script' }).click();
  await expect.poll(() => lastEntry(page)).toEqual([
    '127.0.0.1:7000> FCALL panel 1 stock:phone',
    '-> Redirected to slot [10032] located at 127.0.0.1:7001',
    '(error) ERR Script attempted to access a non local key in a cluster node script: panel, on @user_function:9.',
  ]);
  await expect(page.locator('#client-a .transcript .note').last()).toContainText(
    "FUNCTION LOAD REPLACE of library 'slotlab_panel' on every master (:7000, :7001, :7002)",
  );
  await expect(page.locator('.call.refused .call-line')).toHaveText('line 7');
  await expect(page.locator('.line-offset')).toContainText('2 more');
});

test('the emulated version changes the in-script error text', async ({ page }) => {
  const editor = page.getByLabel('Lua script');
  await editor.fill("return redis.call('MSET', 'bar', 1, 'b', 2)");
  await page.getByLabel('KEYS', { exact: true }).fill('');
  await page.getByRole('button', { name: 'Run script' }).click();
  await expect(page.locator('.script-reply')).toContainText('ERR Script attempted to access a non local key');
  await expect(page.locator('.call.refused .why')).toContainText('span slots 3300 and 5061');
  await page.getByLabel('Emulated server').selectOption('valkey-8');
  await expect(page.locator('#emulated-note')).toContainText('Redis 7.4 and Valkey 8');
  await page.getByRole('button', { name: 'Run script' }).click();
  await expect(page.locator('.script-reply')).toContainText(
    "ERR Command 'mset' in script attempted to access keys that don't hash to the same slot",
  );
  await expect(page.locator('.call.refused .verdict-badge')).toHaveText('✗ refused: cross-slot command');
});

for (const c of screenshotCases(
  [
    ['script-stock', stock],
    ['script-seckill', seckill],
    ['script-runaway', runaway],
  ],
  {
    shoot: async (page, name, viewport) => {
      if (viewport === 'desktop') {
        // The panel sits below the map: show its trace.
        await page.locator('.script-trace').evaluate((el) => el.scrollIntoView({ block: 'start' }));
        await page.evaluate(() => window.scrollBy(0, -16));
      }
      await screenshot(page, name, viewport === 'phone');
    },
  },
)) {
  test(c.title, ({ page }) => c.run(page));
}
