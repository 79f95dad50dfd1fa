// What every spec does to the page: open it, type a line into a client's
// console, read the last transcript entry, and save screenshots at desktop
// and phone widths in light and dark (in ../screenshots, looked at by hand).
import { expect, Locator, Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

export const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export type Viewports = ReadonlyArray<readonly [string, { width: number; height: number }]>;
export const VIEWPORTS: Viewports = [
  ['desktop', DESKTOP],
  ['phone', PHONE],
];

/** Opens `url` and waits for the page to be ready: by default until client
 * A's command input ("Command") is visible. */
export async function open(page: Page, url = '/', ready?: (page: Page) => Locator) {
  await page.goto(url);
  await expect(ready ? ready(page) : page.getByLabel('Command', { exact: true })).toBeVisible();
}

/** Types `line` into `client`'s console (switching to its tab on a narrow
 * page) and waits for its transcript to grow; returns the milliseconds
 * from Enter to the new entry. */
export async function run(page: Page, line: string, client = 'a', timeout?: number): Promise<number> {
  const input = page.locator(`#cli-input-${client}`);
  if (!(await input.isVisible())) {
    await page.locator(`#client-tab-${client}`).click();
  }
  const entries = page.locator(`#client-${client} .transcript .entry`);
  const before = await entries.count();
  await input.fill(line);
  const start = Date.now();
  await input.press('Enter');
  await expect(entries).not.toHaveCount(before, timeout === undefined ? {} : { timeout });
  return Date.now() - start;
}

/** The echo and output lines of `client`'s last transcript entry. */
export async function lastEntry(page: Page, client = 'a'): Promise<string[]> {
  const entry = page.locator(`#client-${client} .transcript .entry`).last();
  return entry.locator('.echo, .out').allTextContents();
}

/** Saves `name`.png in ../screenshots: the whole page (a phone's full
 * height when `fullPage`), or just `element`. */
export async function screenshot(page: Page, name: string, fullPage = false, element?: Locator) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  if (element) {
    await element.screenshot({ path: file });
  } else {
    await page.screenshot({ path: file, fullPage });
  }
}

export type Scene = readonly [string, (page: Page) => Promise<void>];

/** One test case per scene, viewport and colour scheme, each saving
 * `<scene>-<viewport>-<scheme>.png` (phones full height); a spec declares
 * them with `for (const c of screenshotCases(...)) test(c.title, ({ page }) => c.run(page))`.
 * `shoot` replaces the plain screenshot (to scroll first, or to shoot one
 * element). */
export function screenshotCases(
  scenes: ReadonlyArray<Scene>,
  options: {
    viewports?: Viewports;
    shoot?: (page: Page, name: string, viewport: string) => Promise<void>;
  } = {},
): { title: string; run: (page: Page) => Promise<void> }[] {
  const cases = [];
  for (const [viewportName, viewport] of options.viewports ?? VIEWPORTS) {
    for (const scheme of ['light', 'dark'] as const) {
      for (const [scene, play] of scenes) {
        cases.push({
          title: `screenshot ${scene} ${viewportName} ${scheme}`,
          run: async (page: Page) => {
            await page.setViewportSize(viewport);
            await page.emulateMedia({ colorScheme: scheme });
            await play(page);
            const name = `${scene}-${viewportName}-${scheme}`;
            if (options.shoot) {
              await options.shoot(page, name, viewportName);
            } else {
              await screenshot(page, name, viewportName === 'phone');
            }
          },
        });
      }
    }
  }
  return cases;
}
