// End-to-end tests of the slotlab console: what redis-cli would print on a
// real 3-master cluster (127.0.0.1:7000-7002), typed into the web console.
import { expect, Page, test } from '@playwright/test';
import { lastEntry, open, run } from './helpers';

/** The exact text of client A's prompt label (trailing space included). */
async function prompt(page: Page): Promise<string> {
  return (await page.locator('#client-a .prompt-line .prompt').textContent()) ?? '';
}

test.beforeEach(async ({ page }) => {
  await open(page);
});

test('-c on: SET foo bar follows the redirect and moves the prompt', async ({ page }) => {
  expect(await prompt(page)).toBe('127.0.0.1:7000> ');
  await expect(page.locator('#kind-picker-a')).toHaveValue('redirect');
  await run(page, 'SET foo bar');
  expect(await lastEntry(page)).toEqual([
    '127.0.0.1:7000> SET foo bar',
    '-> Redirected to slot [12182] located at 127.0.0.1:7002',
    'OK',
  ]);
  expect(await prompt(page)).toBe('127.0.0.1:7002> ');
  await run(page, 'GET foo');
  expect(await lastEntry(page)).toEqual(['127.0.0.1:7002> GET foo', '"bar"']);
  // The key count of shard 3 (master 7002) went up.
  await expect(page.locator('.shard-card[data-shard="2"] .shard-keys')).toHaveText('1');
});

test('plain redis-cli: SET foo bar shows the MOVED error and stays', async ({ page }) => {
  await page.locator('#kind-picker-a').selectOption('plain');
  await expect(page.locator('#client-a .transcript .note').last()).toContainText(
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
  await page.locator('#node-picker-a').selectOption('7001');
  expect(await prompt(page)).toBe('127.0.0.1:7001> ');
  await run(page, 'SET foo bar');
  await run(page, 'GET foo');
  const input = page.locator('#cli-input-a');
  await input.press('ArrowUp');
  await expect(input).toHaveValue('GET foo');
  await input.press('ArrowUp');
  await expect(input).toHaveValue('SET foo bar');
  await input.press('ArrowDown');
  await input.press('ArrowDown');
  await expect(input).toHaveValue('');
  await input.press('Control+l');
  await expect(page.locator('#client-a .transcript .entry')).toHaveCount(0);
  // Tab completes a command name.
  await input.fill('incrbyf');
  await input.press('Tab');
  await expect(input).toHaveValue('INCRBYFLOAT ');
});

test('the key inspector follows the typed line', async ({ page }) => {
  await page.locator('#cli-input-a').fill('SET foo bar');
  const card = page.locator('.line-report .key-card');
  await expect(card).toHaveCount(1);
  await expect(card.locator('.slot-number')).toHaveText('12182');
  await expect(card).toContainText('127.0.0.1:7002');
  await page.locator('#cli-input-a').fill('MSET {user1000}.following 1 {user1000}.followers 2');
  await expect(page.locator('.line-report .key-card')).toHaveCount(2);
  await expect(page.locator('.line-report .key-hashed').first()).toHaveText('user1000');
  await expect(page.locator('.line-report .slot-number').first()).toHaveText('3443');
  await expect(page.locator('.line-report .summary')).toContainText('all in one slot');
  // Non-UTF-8 bytes are shown escaped.
  await page.locator('#cli-input-a').fill('GET "\\xff{a}"');
  await expect(page.locator('.line-report .key-bytes')).toHaveText('\\xff{a}');
});

test('a 100 KB pasted line does not freeze the page', async ({ page }) => {
  const value = 'x'.repeat(100 * 1024);
  const started = Date.now();
  await run(page, `SET big ${value}`);
  expect(await page.locator('#client-a .transcript .entry').last().locator('.out').allTextContents()).toEqual(
    ['-> Redirected to slot [6392] located at 127.0.0.1:7001', 'OK'],
  );
  await expect(page.locator('#client-a .transcript .entry').last().locator('.elided')).toBeVisible();
  // The page still answers promptly.
  await run(page, 'GET foo');
  expect(await lastEntry(page)).toEqual(['127.0.0.1:7001> GET foo', '-> Redirected to slot [12182] located at 127.0.0.1:7002', '(nil)']);
  expect(Date.now() - started).toBeLessThan(10_000);
  const t0 = Date.now();
  await page.evaluate(() => 1 + 1);
  expect(Date.now() - t0).toBeLessThan(1_000);
});
