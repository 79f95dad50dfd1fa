// End-to-end flows of the lessons: walk lesson 4 (transactions) to the
// end by typing each step's command, "try it first" and "Run it for me",
// leaving a lesson for the sandbox, switching the language (and starting
// in the browser's language) — and screenshots of a lesson at desktop and
// phone sizes in light and dark, and in Chinese and Japanese (saved under
// ../screenshots).
import { expect, Page, test } from '@playwright/test';
import { DESKTOP, VIEWPORTS, lastEntry, open, screenshot, screenshotCases } from './helpers';


async function startLesson(page: Page, id: string) {
  await page.locator('#lessons-button').click();
  await page.locator(`#lesson-open-${id}`).click();
  await expect(page.locator('#lesson-panel')).toBeVisible();
  await expect(page.locator('#lesson-picker')).toHaveCount(0);
}

/** Types the step's command where the step asks for it and presses Enter. */
async function doTask(page: Page) {
  const task = page.locator('.lesson-task');
  const client = (await task.getAttribute('data-client')) ?? 'a';
  const line = (await task.locator('.lesson-line').textContent()) ?? '';
  const input = page.locator(`#cli-input-${client}`);
  if (!(await input.isVisible())) {
    await page.locator(`#client-tab-${client}`).click();
  }
  await input.fill(line);
  await input.press('Enter');
  await expect(page.locator('.lesson-status.ok')).toBeVisible();
  return { client, line };
}

test.beforeEach(async ({ page }) => {
  await open(page);
});

test('walk lesson 4 to the end by typing every step', async ({ page }) => {
  await startLesson(page, 'transactions');
  await expect(page.locator('#lesson-title')).toHaveText('Transactions: MULTI / EXEC');
  const outputs: Record<string, string[]> = {};
  for (let step = 1; step <= 11; step++) {
    await expect(page.locator('.lesson-progress')).toHaveText(`Step ${step} of 11`);
    if ((await page.locator('.lesson-task').count()) > 0) {
      const { client, line } = await doTask(page);
      outputs[`${step}`] = await lastEntry(page, client);
      expect(outputs[`${step}`][0]).toContain(line);
    }
    await page.locator('.lesson-next').click();
  }
  await expect(page.locator('.lesson-finished')).toBeVisible();
  await expect(page.locator('.lesson-progress')).toHaveText('Lesson complete');
  // What the consoles showed, as a real cluster prints it.
  expect(outputs['4'].slice(1)).toEqual([
    "(error) CROSSSLOT Keys in request don't hash to the same slot",
  ]);
  expect(outputs['7'].slice(1)).toEqual(['1) (integer) 9\n2) (integer) 400']);
  expect(outputs['9'].slice(1)).toEqual([
    '(error) EXECABORT Transaction discarded because of previous errors.',
  ]);
  expect(outputs['10'].slice(1)).toEqual([
    '-> Redirected to slot [13438] located at 127.0.0.1:7002',
    '(integer) 8',
  ]);
  expect(outputs['11'].slice(1)).toEqual(['(error) ERR EXEC without MULTI']);
  // The commands the lesson ran itself are in the console too (step 5).
  await expect(page.locator('#client-a .transcript')).toContainText('GET account:user123:balance');
  // The sandbox is still live.
  await page.locator('.lesson-finished .lesson-all').click();
  await expect(page.locator('#lesson-picker')).toBeVisible();
  await page.locator('#lesson-open-sandbox').click();
  await expect(page.locator('#lesson-panel')).toHaveCount(0);
  const input = page.locator('#cli-input-a');
  await input.fill('GET order:{user123}:stock');
  await input.press('Enter');
  // -c left the client on 7002 (step 10): no redirect.
  expect((await lastEntry(page)).slice(1)).toEqual(['"8"']);
});

test('Next before trying says "try it first"; "Run it for me" runs it', async ({ page }) => {
  await startLesson(page, 'hash-slots');
  await page.locator('.lesson-next').click(); // step 1 has no task
  await expect(page.locator('.lesson-progress')).toHaveText('Step 2 of 6');
  await page.locator('.lesson-next').click();
  await expect(page.locator('.lesson-status.nudge')).toContainText('Try it first');
  await expect(page.locator('.lesson-progress')).toHaveText('Step 2 of 6');
  await page.locator('.lesson-run-for-me').click();
  await expect(page.locator('.lesson-status.ok')).toBeVisible();
  expect((await lastEntry(page)).slice(1)).toEqual(['(integer) 1525']);
  await page.locator('.lesson-next').click();
  // "Type it for me" fills the input; Enter runs it.
  await page.locator('.lesson-type-for-me').click();
  await expect(page.locator('#cli-input-a')).toHaveValue('set hoge fuga');
  await expect(page.locator('#cli-input-a')).toBeFocused();
  await page.locator('#cli-input-a').press('Enter');
  await expect(page.locator('.lesson-status.ok')).toBeVisible();
  expect((await lastEntry(page)).slice(1)).toEqual([
    '-> Redirected to slot [1525] located at 127.0.0.1:7000',
    'OK',
  ]);
  // Leave: the cluster and the consoles stay as they are.
  await page.locator('.lesson-leave').click();
  await expect(page.locator('#lesson-panel')).toHaveCount(0);
  await page.locator('#cli-input-a').fill('get hoge');
  await page.locator('#cli-input-a').press('Enter');
  expect((await lastEntry(page)).slice(1)).toEqual(['"fuga"']);
});

test('switch the language', async ({ page }) => {
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('#cluster-map-title')).toHaveText('Cluster map');
  await startLesson(page, 'watch');
  await page.locator('#lang-switch').selectOption('zh');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.locator('#cluster-map-title')).toHaveText('集群地图');
  await expect(page.locator('#lesson-title')).toHaveText('WATCH：乐观锁');
  await expect(page.locator('.lesson-progress')).toHaveText('第 1 步，共 7 步');
  await expect(page.locator('.lesson-next')).toHaveText('下一步');
  await page.locator('#lang-switch').selectOption('ja');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.locator('#lesson-title')).toHaveText('WATCH：楽観的ロック');
  await expect(page.locator('#lessons-button')).toHaveText('レッスン');
  // The lesson goes on in the new language.
  await doTask(page);
  await expect(page.locator('.lesson-status.ok')).toContainText('正解');
  await page.locator('#lang-switch').selectOption('en');
  await expect(page.locator('#lesson-title')).toHaveText('WATCH: optimistic locking');
});

test('the Chinese and Japanese texts are fetched only when asked for', async ({ page }) => {
  // An English page never downloads them (issue 8, first load).
  const fetched: string[] = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.reload();
  await expect(page.locator('#cluster-map-title')).toHaveText('Cluster map');
  expect(fetched.filter((p) => p.includes('/i18n/'))).toEqual([]);
  // A language whose file cannot be fetched: the page stays as it was and
  // says so.
  await page.route('**/i18n/ja.json', (route) => route.abort());
  await page.locator('#lang-switch').selectOption('ja');
  await expect(page.locator('.notice.problem')).toContainText(
    'The 日本語 texts could not be loaded, so the page stays as it was.',
  );
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('#lang-switch')).toHaveValue('en');
  // Chinese arrives and is shown.
  await page.locator('#lang-switch').selectOption('zh');
  await expect(page.locator('#cluster-map-title')).toHaveText('集群地图');
  expect(fetched).toContain('/i18n/zh.json');
});

test('a lesson in Chinese: its texts arrive after the start, or it stays in English', async ({ page }) => {
  // The lessons' translations are a file of their own, fetched once the
  // page has started (issue 8, first load): the lesson opens at once, in
  // Chinese as soon as the file is there.
  await page.goto('/?lang=zh&lesson=hash-tags');
  await expect(page.locator('#cluster-map-title')).toHaveText('集群地图');
  await expect(page.locator('#lesson-title')).toHaveText('哈希标签');
  // Without the file, the lesson shows in English and the page in Chinese.
  await page.route('**/i18n/lessons-zh.json', (route) => route.abort());
  await page.goto('/?lang=zh&lesson=hash-tags');
  await expect(page.locator('#cluster-map-title')).toHaveText('集群地图');
  await expect(page.locator('#lesson-title')).toHaveText('Hash tags');
  await expect(page.locator('.lesson-next')).toHaveText('下一步');
});

test('the cluster map has no English labels left in Japanese and Chinese', async ({ page }) => {
  // Keys on every shard, and a stopped node (its badge, the operations log).
  for (const line of ['SET foo bar', 'SET bar 1', 'SET a 1']) {
    await page.locator('#cli-input-a').fill(line);
    await page.locator('#cli-input-a').press('Enter');
  }
  await page.getByRole('button', { name: 'Stop 127.0.0.1:7001' }).click();
  await expect(page.locator('.ops-line.event').first()).toBeVisible();
  // The map's former English labels, as whole lower-case words (Redis' own
  // upper-case words, such as GETKEYSINSLOT, do not count).
  const english = /(?<![\w-])(master|replica|keys?|slots?|shards?|owner|connected|stopped)(?![\w-])/g;
  for (const [code, name] of [
    ['ja', 'クラスタマップ'],
    ['zh', '集群地图'],
  ] as const) {
    await page.locator('#lang-switch').selectOption(code);
    const map = page.getByRole('region', { name, exact: true });
    await expect(map).toBeVisible();
    const words = await map.evaluate((el) => {
      const out = [el.textContent ?? ''];
      for (const e of Array.from(el.querySelectorAll('[title], [aria-label]'))) {
        out.push(e.getAttribute('title') ?? '', e.getAttribute('aria-label') ?? '');
      }
      return out.join('\n');
    });
    expect(words.match(english) ?? [], `${code}: ${words}`).toEqual([]);
  }
  await page.locator('#lang-switch').selectOption('en');
  await expect(page.getByRole('region', { name: 'Cluster map', exact: true })).toContainText('master');
});

test('the chosen language survives a reload; a link can ask for one', async ({ page }) => {
  await page.locator('#lang-switch').selectOption('ja');
  await expect(page.locator('#cluster-map-title')).toHaveText('クラスタマップ');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.locator('#lang-switch')).toHaveValue('ja');
  // Reset forgets the session, not the language.
  await page.getByRole('button', { name: /Reset|リセット/ }).first().click();
  await page.reload();
  await expect(page.locator('#lang-switch')).toHaveValue('ja');
  await page.goto('/?lang=zh');
  await expect(page.locator('#cluster-map-title')).toHaveText('集群地图');
});

test.describe('in a Japanese browser', () => {
  test.use({ locale: 'ja-JP' });
  test('the page starts in Japanese', async ({ page }) => {
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    await expect(page.locator('#cluster-map-title')).toHaveText('クラスタマップ');
    await expect(page.locator('#lang-switch')).toHaveValue('ja');
    // The page waited for its texts: even the first note is in Japanese.
    await expect(page.locator('#client-a .transcript .entry').first()).toContainText(
      'シミュレートされた 3 マスターの Redis Cluster です',
    );
  });
});

test.describe('in a Japanese browser on a slow network', () => {
  test.use({ locale: 'ja-JP' });
  test('the page does not wait long for its texts: English first, Japanese when they arrive', async ({
    page,
  }) => {
    await page.route('**/i18n/ja.json', async (route) => {
      await new Promise((r) => setTimeout(r, 4000));
      await route.continue();
    });
    const start = Date.now();
    await page.reload();
    await expect(page.getByLabel('Command', { exact: true })).toBeVisible({ timeout: 3500 });
    expect(Date.now() - start).toBeLessThan(3500);
    await expect(page.locator('#cluster-map-title')).toHaveText('Cluster map');
    await expect(page.locator('#cluster-map-title')).toHaveText('クラスタマップ', { timeout: 10_000 });
    await expect(page.locator('#lang-switch')).toHaveValue('ja');
  });
});

test.describe('in a Chinese browser', () => {
  test.use({ locale: 'zh-CN' });
  test('the page starts in Chinese', async ({ page }) => {
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.locator('#route-trace-title')).toHaveText('路由追踪');
  });
});

/** Lesson 4 up to its EXEC-time CROSSSLOT (step 4 done). */
async function transactionScene(page: Page) {
  await startLesson(page, 'transactions');
  for (let step = 1; step <= 3; step++) {
    await doTask(page);
    await page.locator('.lesson-next').click();
  }
  await doTask(page);
}

/** Lesson 5 with Client B's DECR done (two clients side by side). */
async function watchScene(page: Page) {
  await startLesson(page, 'watch');
  for (let step = 1; step <= 2; step++) {
    if ((await page.locator('.lesson-task').count()) > 0) await doTask(page);
    await page.locator('.lesson-next').click();
  }
  await doTask(page);
}

/** The lesson picker. */
async function pickerScene(page: Page) {
  await page.locator('#lessons-button').click();
  await expect(page.locator('#lesson-picker')).toBeVisible();
}

for (const c of screenshotCases([
  ['lesson-tx', transactionScene],
  ['lesson-watch', watchScene],
  ['lessons-picker', pickerScene],
])) {
  test(c.title, ({ page }) => c.run(page));
}

for (const [locale, code] of [
  ['zh-CN', 'zh'],
  ['ja-JP', 'ja'],
] as const) {
  test.describe(`screenshots in ${locale}`, () => {
    test.use({ locale });
    for (const [name, viewport] of VIEWPORTS) {
      test(`screenshot lesson-tx ${code} ${name}`, async ({ page }) => {
        await page.setViewportSize(viewport);
        await transactionScene(page);
        await screenshot(page, `lesson-tx-${name}-${code}`, name === 'phone');
      });
    }
    test(`screenshot lessons-picker ${code}`, async ({ page }) => {
      await page.setViewportSize(DESKTOP);
      await pickerScene(page);
      await screenshot(page, `lessons-picker-desktop-${code}`);
    });
  });
}
