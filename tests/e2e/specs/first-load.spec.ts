// How the release page loads (issue 8, time to interactive): its
// stylesheets and its JavaScript loader are inside index.html
// (scripts/inline_page.py), so before the console is there the page fetches
// itself and the first wasm module, nothing else.
import { expect, test } from '@playwright/test';

test('before the console is there, the page fetches only itself and the first wasm module', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // The moment the console's input is in the page.
  await page.addInitScript(() => {
    new MutationObserver(() => {
      const w = window as unknown as { consoleAt?: number };
      if (w.consoleAt === undefined && document.querySelector('#cli-input-a')) w.consoleAt = performance.now();
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto('/');
  const input = page.getByLabel('Command', { exact: true });
  await expect(input).toBeVisible();
  const before = await page.evaluate(() => {
    const at = (window as unknown as { consoleAt: number }).consoleAt;
    return performance
      .getEntriesByType('resource')
      .filter((e) => e.startTime < at)
      .map((e) => new URL(e.name).pathname);
  });
  expect(requests[0]).toBe('/');
  expect(before).toEqual([expect.stringMatching(/^\/slotlab-[0-9a-f]+_bg\.wasm$/)]);
  // The inlined stylesheets apply: the page is laid out in a grid, the
  // console's screen scrolls.
  await expect(page.locator('main.layout')).toHaveCSS('display', 'grid');
  await expect(page.locator('#client-a .screen')).toHaveCSS('overflow-y', 'auto');
  // The inlined loader starts the app, and the second module comes after.
  await input.pressSequentially('SET foo bar');
  await input.press('Enter');
  await expect(page.locator('#client-a .transcript .entry').last().locator('.out')).toHaveText([
    '-> Redirected to slot [12182] located at 127.0.0.1:7002',
    'OK',
  ]);
  await expect.poll(() => requests.some((p) => p.endsWith('_lazy.wasm'))).toBe(true);
  expect(errors).toEqual([]);
});
