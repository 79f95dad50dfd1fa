// End-to-end tests of the slotlab console: what redis-cli would print on a
// real 3-master cluster (127.0.0.1:7000-7002), typed into the web console.
import { expect, Page, test } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');

/** Opens the app and waits until the wasm app has mounted. */
async function open(page: Page) {
  await page.goto('/');
  await expect(page.locator('#cli-input')).toBeVisible();
}

/** Types `line` at the prompt and presses Enter. */
async function run(page: Page, line: string) {
  const before = await page.locator('.transcript .entry').count();
  await page.locator('#cli-input').fill(line);
  await page.locator('#cli-input').press('Enter');
  await expect(page.locator('.transcript .entry')).not.toHaveCount(before);
}

/** The exact text of the prompt label (trailing space included). */
async function prompt(page: Page): Promise<string> {
  return (await page.locator('.prompt-line .prompt').textContent()) ?? '';
}

/** The text of the last transcript entry, one line per block. */
async function lastEntry(page: Page): Promise<string[]> {
  const entry = page.locator('.transcript .entry').last();
  return entry.locator('.echo, .out').allTextContents();
}

test.beforeEach(async ({ page }) => {
  await open(page);
});

test('-c on: SET foo bar follows the redirect and moves the prompt', async ({ page }) => {
  expect(await prompt(page)).toBe('127.0.0.1:7000> ');
  await expect(page.locator('#follow-toggle')).toBeChecked();
  await run(page, 'SET foo bar');
  expect(await lastEntry(page)).toEqual([
    '127.0.0.1:7000> SET foo bar',
    '-> Redirected to slot [12182] located at 127.0.0.1:7002',
    'OK',
  ]);
  expect(await prompt(page)).toBe('127.0.0.1:7002> ');
  await run(page, 'GET foo');
  expect(await lastEntry(page)).toEqual(['127.0.0.1:7002> GET foo', '"bar"']);
  // The key count of shard C (master 7002) went up.
  await expect(page.locator('.shards tr.shard-2 td.num')).toHaveText('1');
});

test('-c off: SET foo bar shows the MOVED error and stays', async ({ page }) => {
  await page.locator('#follow-toggle').uncheck();
  await expect(page.locator('.transcript .note').last()).toContainText(
    'new session: redis-cli -h 127.0.0.1 -p 7000',
  );
  await run(page, 'SET foo bar');
  expect(await lastEntry(page)).toEqual([
    '127.0.0.1:7000> SET foo bar',
    '(error) MOVED 12182 127.0.0.1:7002',
  ]);
  expect(await prompt(page)).toBe('127.0.0.1:7000> ');
});

test('MSET across slots is CROSSSLOT', async ({ page }) => {
  await run(page, 'MSET a 1 b 2');
  expect(await lastEntry(page)).toEqual([
    '127.0.0.1:7000> MSET a 1 b 2',
    "(error) CROSSSLOT Keys in request don't hash to the same slot",
  ]);
});

test('an unbalanced quote prints Invalid argument(s)', async ({ page }) => {
  await run(page, 'SET k "open');
  expect(await lastEntry(page)).toEqual(['127.0.0.1:7000> SET k "open', 'Invalid argument(s)']);
});

test('node picker reconnects; history and Ctrl+L work', async ({ page }) => {
  await page.locator('#node-picker').selectOption('7001');
  expect(await prompt(page)).toBe('127.0.0.1:7001> ');
  await run(page, 'SET foo bar');
  await run(page, 'GET foo');
  const input = page.locator('#cli-input');
  await input.press('ArrowUp');
  await expect(input).toHaveValue('GET foo');
  await input.press('ArrowUp');
  await expect(input).toHaveValue('SET foo bar');
  await input.press('ArrowDown');
  await input.press('ArrowDown');
  await expect(input).toHaveValue('');
  await input.press('Control+l');
  await expect(page.locator('.transcript .entry')).toHaveCount(0);
});

test('the key inspector follows the typed line', async ({ page }) => {
  await page.locator('#cli-input').fill('SET foo bar');
  const card = page.locator('.line-report .key-card');
  await expect(card).toHaveCount(1);
  await expect(card.locator('.slot-number')).toHaveText('12182');
  await expect(card).toContainText('127.0.0.1:7002');
  await page.locator('#cli-input').fill('MSET {user1000}.following 1 {user1000}.followers 2');
  await expect(page.locator('.line-report .key-card')).toHaveCount(2);
  await expect(page.locator('.line-report .key-hashed').first()).toHaveText('user1000');
  await expect(page.locator('.line-report .slot-number').first()).toHaveText('3443');
  await expect(page.locator('.line-report .summary')).toContainText('all in one slot');
  // Non-UTF-8 bytes are shown escaped.
  await page.locator('#cli-input').fill('GET "\\xff{a}"');
  await expect(page.locator('.line-report .key-bytes')).toHaveText('\\xff{a}');
});

test('a 100 KB pasted line does not freeze the page', async ({ page }) => {
  const value = 'x'.repeat(100 * 1024);
  const started = Date.now();
  await run(page, `SET big ${value}`);
  expect(await page.locator('.transcript .entry').last().locator('.out').allTextContents()).toEqual(
    ['-> Redirected to slot [6392] located at 127.0.0.1:7001', 'OK'],
  );
  await expect(page.locator('.transcript .entry').last().locator('.elided')).toBeVisible();
  // The page still answers promptly.
  await run(page, 'GET foo');
  expect(await lastEntry(page)).toEqual(['127.0.0.1:7001> GET foo', '-> Redirected to slot [12182] located at 127.0.0.1:7002', '(nil)']);
  expect(Date.now() - started).toBeLessThan(10_000);
  const t0 = Date.now();
  await page.evaluate(() => 1 + 1);
  expect(Date.now() - t0).toBeLessThan(1_000);
});

for (const [name, viewport] of [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`screenshot ${name} ${scheme}`, async ({ page }) => {
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme: scheme });
      await run(page, 'SET foo bar');
      await run(page, 'GET foo');
      await run(page, 'MSET a 1 b 2');
      await run(page, 'SET k "open');
      await page.locator('#cli-input').fill('MSET {user1000}.following 1 {user1000}.followers 2');
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({
        path: path.join(SCREENSHOTS, `${name}-${scheme}.png`),
        fullPage: name === 'phone',
      });
    });
  }
}
