// The release build is two wasm modules (scripts/wasm_split.py): what the
// page needs to start and answer everyday commands, and the rest (the Lua
// VM, lessons, share links, ...), fetched once the page has started.
//
// If the first test fails, the first module no longer holds everything the
// start needs (new or renamed functions since scripts/wasm_keep.txt was
// written): refresh it with
//   trunk build --release && python3 scripts/wasm_split.py --profile
import { expect, Page, test } from '@playwright/test';

async function run(page: Page, line: string): Promise<string[]> {
  const entries = page.locator('#client-a .transcript .entry');
  const before = await entries.count();
  const input = page.getByLabel('Command', { exact: true });
  await input.fill('');
  await input.pressSequentially(line);
  await input.press('Enter');
  await expect(entries).not.toHaveCount(before);
  return entries.last().locator('.out').allTextContents();
}

function lazyRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('_lazy.wasm')) seen.push(r.url());
  });
  return seen;
}

test('the page starts and answers everyday commands without the second module', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.route('**/*_lazy.wasm', (route) => route.abort());
  await page.goto('/');
  await expect(page.getByLabel('Command', { exact: true })).toBeVisible();
  expect((await run(page, 'SET foo bar')).at(-1)).toBe('OK');
  expect((await run(page, 'GET foo')).at(-1)).toBe('"bar"');
  expect((await run(page, 'INCR n')).at(-1)).toBe('(integer) 1');
  // The session is saved 200 ms after the last change (SAVE_DELAY_MS).
  await page.waitForTimeout(1000);
  await page.reload();
  await expect(page.getByLabel('Command', { exact: true })).toBeVisible();
  expect((await run(page, 'GET foo')).at(-1)).toBe('"bar"');
  expect(errors).toEqual([]);
});

test('the second module is fetched after the start and runs scripts', async ({ page }) => {
  const seen = lazyRequests(page);
  await page.goto('/');
  await expect(page.getByLabel('Command', { exact: true })).toBeVisible();
  await expect.poll(() => seen.length).toBe(1);
  expect((await run(page, 'EVAL "return redis.call(\'SET\', KEYS[1], ARGV[1])" 1 foo bar')).at(-1)).toBe('OK');
  expect((await run(page, 'GET foo')).at(-1)).toBe('"bar"');
});

test('a script run before the background fetch finished loads the module at once', async ({ page }) => {
  // Hold the background fetch back: the script's first call into the
  // second module fetches it synchronously.
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  let first = true;
  await page.route('**/*_lazy.wasm', async (route) => {
    if (first) {
      first = false;
      await held;
    }
    await route.continue();
  });
  await page.goto('/');
  await expect(page.getByLabel('Command', { exact: true })).toBeVisible();
  expect((await run(page, 'EVAL "return 1 + 1" 0')).at(-1)).toBe('(integer) 2');
  release();
});
