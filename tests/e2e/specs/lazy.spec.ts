// The release build is two wasm modules (scripts/wasm_split.py): what the
// page needs to start (in every way in but a lesson) and answer everyday
// commands, and the rest (the Lua VM, lessons, ...), fetched once the page
// has started.
//
// If one of the start tests fails, the first module no longer holds everything the
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

// Every way into the page but a lesson starts from the first module alone
// (scripts/wasm_keep.txt is profiled on them all: tests/e2e/perf/profile.mjs);
// before, each of these fetched the whole second module synchronously
// before the page showed.
for (const way of [
  '/?view=console',
  '/?view=map',
  '/?view=trace',
  '/?embed=1',
  '/?embed=1&view=console#s=SESSION',
  '/#s=SESSION',
  '/?cmds=SET%20a%201%0AGET%20a',
  '/?theme=dark',
  '/?lang=zh',
]) {
  test(`${way} starts without the second module`, async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    let session = '';
    if (way.includes('SESSION')) {
      await page.goto('/');
      expect((await run(page, 'SET foo bar')).at(-1)).toBe('OK');
      await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#s=v1\./);
      session = (await page.evaluate(() => location.hash)).slice('#s='.length);
      await page.evaluate(() => localStorage.clear());
    }
    await page.route('**/*_lazy.wasm', (route) => route.abort());
    await page.goto(way.replace('SESSION', session));
    await expect(page.getByLabel('Command', { exact: true })).toBeVisible();
    if (!way.includes('view=console')) {
      // The panels drawn after the console (src/ui/app.rs) are there too.
      await expect(page.locator('.cluster-map, .route-trace').first()).toBeAttached();
    }
    expect((await run(page, 'GET foo')).at(-1)).toBe(session ? '"bar"' : '(nil)');
    expect(errors).toEqual([]);
  });
}

test('a page that opens a lesson waits for the second module instead of fetching it synchronously', async ({ page }) => {
  // The lessons live in the second module: the page fetches it (off the
  // main thread) before it starts, instead of a synchronous request in the
  // middle of the start.
  const kinds: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('_lazy.wasm')) kinds.push(r.resourceType());
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/?lesson=hash-tags');
  await expect(page.locator('#lesson-title')).toHaveText('Hash tags');
  expect((await run(page, 'CLUSTER KEYSLOT {user1000}.following')).at(-1)).toBe('(integer) 3443');
  expect(kinds).toEqual(['fetch']);
  expect(errors).toEqual([]);
});

test('a page restored in the middle of a lesson waits for the second module too', async ({ page }) => {
  await page.goto('/?lesson=hash-tags');
  await expect(page.locator('#lesson-title')).toHaveText('Hash tags');
  // The session is saved 200 ms after the last change (SAVE_DELAY_MS).
  await page.waitForTimeout(1000);
  const kinds: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('_lazy.wasm')) kinds.push(r.resourceType());
  });
  await page.goto('/');
  await expect(page.locator('#lesson-title')).toHaveText('Hash tags');
  expect(kinds).toEqual(['fetch']);
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
