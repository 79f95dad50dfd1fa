// End-to-end tests of the timeline, share links, embedding and the saved
// session: a shared session reopens identically in a fresh browser; the
// hand-written ?cmds= and redis.io ?commands= links run; the example embed
// page's iframes follow their content's height; broken links leave an empty
// sandbox with a message; a reload keeps the session and Reset forgets it;
// scrubbing stays usable with 100,000 keys. Screenshots go to ../screenshots.
import { Browser, expect, Page, test } from '@playwright/test';
import { open, run, screenshot } from './helpers';


/** What the page shows, as text: every console, the timeline, the map's
 *  totals and every shard's key count, the route trace and the
 *  transactions. */
async function scene(page: Page) {
  const consoles = await page
    .locator('.consoles .client')
    .evaluateAll((els) => els.map((el) => (el as HTMLElement).innerText));
  const text = async (selector: string) =>
    (await page.locator(selector).count()) ? await page.locator(selector).first().innerText() : '';
  return {
    consoles,
    prompts: await page.locator('.prompt-line .prompt').allTextContents(),
    timeline: await text('.timeline-position'),
    step: await text('.timeline-step'),
    total: await text('.map-total'),
    shards: await page.locator('.shard-card .shard-keys').allTextContents(),
    trace: await text('.route-trace'),
    tx: await text('.tx-panel'),
  };
}

/** Waits until the address holds a session (written a moment after a change). */
async function sessionUrl(page: Page): Promise<string> {
  await expect.poll(() => page.url()).toContain('#s=v1.');
  // Let the last change land too.
  await page.waitForTimeout(400);
  return page.url();
}

async function freshPage(browser: Browser, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  return context.newPage();
}

/** Two clients, a WATCH race, a cross-slot error and its fix. */
async function busySession(page: Page) {
  await page.getByRole('button', { name: '+ Add client' }).click();
  await run(page, 'SET foo 1', 'a');
  await run(page, 'WATCH foo', 'a');
  await run(page, 'MULTI', 'a');
  await run(page, 'INCR foo', 'a');
  await run(page, 'SET foo 9', 'b');
  await run(page, 'EXEC', 'a');
  await run(page, 'MSET user:1 a user:2 b', 'b');
  await run(page, 'MSET {user}:1 a {user}:2 b', 'b');
}

test('a shared session reopens identically in a new browser', async ({ page, browser }) => {
  await open(page);
  await busySession(page);
  await expect(page.locator('.timeline-position')).toHaveText('Step 9 of 9');
  const live = await scene(page);
  // The Share panel's link is the session.
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.locator('#share-link').inputValue();
  expect(link).toMatch(/#s=v1\.[A-Za-z0-9_-]+$/);
  await expect(page.locator('#embed-snippet')).toHaveValue(/<slotlab-playground session="v1\./);
  await screenshot(page, 'share-panel-desktop-light');

  const other = await freshPage(browser);
  await open(other, link);
  await expect(other.locator('.timeline-position')).toHaveText('Step 9 of 9');
  expect(await scene(other)).toEqual(live);

  // A link to an earlier step opens there.
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await page.getByRole('button', { name: 'Step back (←)' }).click();
  await page.getByRole('button', { name: 'Step back (←)' }).click();
  await expect(page.locator('.timeline-position')).toHaveText('Step 7 of 9');
  const past = await scene(page);
  const pastLink = await sessionUrl(page);
  const third = await freshPage(browser);
  await open(third, pastLink);
  await expect(third.locator('.timeline-position')).toHaveText('Step 7 of 9');
  expect(await scene(third)).toEqual(past);
  await third.locator('.tl-last').click();
  expect(await scene(third)).toEqual(live);
});

test('the timeline steps back and forward, scrubs, and forks', async ({ page }) => {
  await open(page);
  await run(page, 'SET foo bar');
  await run(page, 'SET user:1 ada');
  await run(page, 'GET foo');
  await expect(page.locator('.map-total')).toHaveText('2 keys in 2 of 16,384 slots');

  // ← and → move one step while the timeline has the focus.
  await page.locator('.timeline').focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator('.timeline-position')).toHaveText('Step 1 of 3');
  await expect(page.locator('.timeline-step')).toHaveText('A> SET foo bar');
  await expect(page.locator('.map-total')).toHaveText('1 key in 1 of 16,384 slots');
  await expect(page.locator('#client-a .transcript .entry')).toHaveCount(2);
  await expect(page.locator('.timeline-past')).toContainText('the 2 later steps are discarded');
  // The focus stayed on the timeline.
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('.timeline-position')).toHaveText('Step 2 of 3');
  await expect(page.locator('.map-total')).toHaveText('2 keys in 2 of 16,384 slots');
  await page.keyboard.press('Home');
  await expect(page.locator('.timeline-position')).toHaveText('Step 0 of 3');
  await expect(page.locator('.map-total')).toHaveText('0 keys in 0 of 16,384 slots');
  await page.keyboard.press('End');
  await expect(page.locator('.timeline-position')).toHaveText('Step 3 of 3');

  // The slider.
  await page.locator('.timeline-scrub').fill('1');
  await expect(page.locator('.timeline-position')).toHaveText('Step 1 of 3');
  await screenshot(page, 'timeline-past-desktop-light');

  // Running a command in the past forks.
  await run(page, 'SET other 1');
  await expect(page.locator('.timeline-position')).toHaveText('Step 2 of 2');
  await expect(page.locator('.notice')).toContainText('Forked at step 1: the 2 later steps were discarded.');
  await expect(page.locator('.map-total')).toHaveText('2 keys in 2 of 16,384 slots');
  await expect(page.locator('.timeline-past')).toHaveCount(0);

  // "Fork from here" drops the future without running anything.
  await page.getByRole('button', { name: 'Step back (←)' }).click();
  await page.getByRole('button', { name: 'Fork from here' }).click();
  await expect(page.locator('.timeline-position')).toHaveText('Step 1 of 1');
  await expect(page.locator('.map-total')).toHaveText('1 key in 1 of 16,384 slots');
});

test('a ?cmds= link with autorun runs its lines', async ({ page }) => {
  await open(page, '/?cmds=SET%20foo%20bar%0AGET%20foo&autorun=1&view=trace');
  const entries = page.locator('#client-a .transcript .entry');
  await expect(entries).toHaveCount(3);
  await expect(entries.nth(2).locator('.echo, .out')).toHaveText(['127.0.0.1:7002> GET foo', '"bar"']);
  await expect(page.locator('.notice')).toContainText('Ran 2 command lines from the link');
  await expect(page.locator('.timeline-position')).toHaveText('Step 2 of 2');
  // view=trace: the route trace, no cluster map.
  await expect(page.locator('.route-trace')).toBeVisible();
  await expect(page.locator('.cluster-map')).toHaveCount(0);
  // The address now holds the session instead of the lines.
  const url = await sessionUrl(page);
  expect(url).not.toContain('cmds=');
  await screenshot(page, 'cmds-autorun-desktop-light');
});

test('a ?cmds= link without autorun puts each line in the prompt', async ({ page }) => {
  await open(page, '/?cmds=SET+foo+bar%0AGET+foo');
  await expect(page.locator('#cli-input-a')).toHaveValue('SET foo bar');
  await expect(page.locator('.timeline-position')).toHaveText('Step 0 of 0');
  await page.locator('#cli-input-a').press('Enter');
  await expect(page.locator('#cli-input-a')).toHaveValue('GET foo');
  await page.locator('#cli-input-a').press('Enter');
  await expect(page.locator('#cli-input-a')).toHaveValue('');
  await expect(page.locator('#client-a .transcript .entry').last().locator('.out')).toHaveText('"bar"');
});

test('a ?lesson= link opens the lesson, and the lesson is on the timeline', async ({ page }) => {
  await open(page, '/?lesson=transactions');
  await expect(page.locator('.lesson-panel')).toBeVisible();
  await expect(page.locator('.timeline-position')).toHaveText('Step 1 of 1');
  await expect(page.locator('.timeline-step')).toHaveText('lesson transactions: start');
  await page.getByRole('button', { name: 'Step back (←)' }).click();
  await expect(page.locator('.lesson-panel')).toHaveCount(0);
  await page.getByRole('button', { name: 'Step forward (→)' }).click();
  await expect(page.locator('.lesson-panel')).toBeVisible();
});

test("redis.io's ?commands= form runs too", async ({ page }) => {
  const lines = ['SET mykey "Hello"', 'GET mykey'];
  const payload = Buffer.from(JSON.stringify(lines)).toString('base64url');
  await open(page, `/?commands=${payload}&autorun=true`);
  const last = page.locator('#client-a .transcript .entry').last();
  await expect(last.locator('.echo, .out')).toHaveText(['127.0.0.1:7002> GET mykey', '"Hello"']);
  await expect(page.locator('.timeline-position')).toHaveText('Step 2 of 2');
});

test('broken links leave an empty sandbox and say why', async ({ page }) => {
  const cases: [string, RegExp][] = [
    ['/#s=v1.not-a-session', /could not be opened: it is damaged or is not a slotlab session/],
    ['/#s=v7.AAAA', /made by another version of slotlab \(format v7; this one reads v1\)/],
    [`/#s=v1.${'A'.repeat(600_000)}`, /it is too large/],
    ['/?commands=%%%&autorun=true', /it is damaged/],
    [`/?cmds=${'PING%0A'.repeat(6000)}&autorun=1`, /it holds 6,000 steps, and at most 5,000 can be opened/],
    ['/?cmds=' + '10000%20INCR%20x%0A'.repeat(31) + '&autorun=1', /it would run 310,000 commands/],
  ];
  for (const [url, message] of cases) {
    // A fresh load each time (not a same-page fragment change).
    await page.goto('about:blank');
    await open(page, url);
    const notice = page.locator('.notice.problem');
    await expect(notice).toHaveAttribute('role', 'alert');
    await expect(notice).toContainText(message);
    await expect(page.locator('.timeline-position')).toHaveText('Step 0 of 0');
    await expect(page.locator('#client-a .transcript .entry')).toHaveCount(1);
  }
  // Link content is never HTML: a session whose line is markup prints it as text.
  await open(page, '/?cmds=ECHO%20%22%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E%22&autorun=1');
  await expect(page.locator('#client-a .transcript .entry').last().locator('.out')).toHaveText(
    '"<img src=x onerror=alert(1)>"',
  );
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  // The sandbox works, and the notice goes away.
  await page.goto('about:blank');
  await open(page, '/#s=v1.garbage');
  await run(page, 'SET foo bar');
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.locator('.notice')).toHaveCount(0);
  await screenshot(page, 'broken-link-desktop-light');
});

test('a reload keeps the session; Reset forgets it', async ({ page }) => {
  await open(page);
  await run(page, 'SET foo bar');
  await page.getByRole('button', { name: '+ Add client' }).click();
  await run(page, 'GET foo', 'b');
  await sessionUrl(page);
  const before = await scene(page);
  // Reload the bare address: the saved copy in localStorage restores it.
  await open(page, '/');
  await expect(page.locator('.timeline-position')).toHaveText('Step 3 of 3');
  expect(await scene(page)).toEqual(before);
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.locator('.timeline-position')).toHaveText('Step 0 of 0');
  await expect.poll(() => page.evaluate(() => localStorage.getItem('slotlab.session'))).toBeNull();
  await expect.poll(() => page.url()).not.toContain('#s=');
  await open(page, '/');
  await expect(page.locator('.timeline-position')).toHaveText('Step 0 of 0');
  await expect(page.locator('.consoles .client')).toHaveCount(1);
});

test('the example embed page: two iframes that follow their content', async ({ page }) => {
  await page.setViewportSize({ width: 1000, height: 900 });
  await page.goto('/embed-example.html');
  const frames = page.locator('slotlab-playground iframe');
  await expect(frames).toHaveCount(2);
  const first = page.frameLocator('#slots iframe');
  const second = page.frameLocator('#crossslot iframe');
  await expect(first.locator('#client-a .transcript .entry')).toHaveCount(4);
  await expect(second.locator('#client-a .transcript .entry')).toHaveCount(3);
  await expect(second.locator('#client-a .transcript .entry').nth(1).locator('.out')).toHaveText(
    "(error) CROSSSLOT Keys in request don't hash to the same slot",
  );
  // Embed mode: compact header with a link to the full playground.
  const full = first.getByRole('link', { name: 'Open in full playground ↗' });
  await expect(full).toHaveAttribute('href', /\/#s=v1\./);
  await expect(first.locator('.app-tagline')).toHaveCount(0);
  // The iframe is as tall as the app inside it (not the 460px it starts at).
  const fits = async (selector: string) => {
    const frameHeight = await page.locator(selector).evaluate((f) => f.getBoundingClientRect().height);
    const appHeight = await page
      .frameLocator(selector)
      .locator('.app')
      .evaluate((el) => Math.ceil(el.getBoundingClientRect().bottom + window.scrollY));
    return Math.abs(frameHeight - appHeight);
  };
  await expect.poll(() => fits('#slots iframe')).toBeLessThan(2);
  await expect.poll(() => fits('#crossslot iframe')).toBeLessThan(2);
  // The full-playground link opens the same session.
  const href = await full.getAttribute('href');
  const other = await page.context().newPage();
  await open(other, href ?? '/');
  await expect(other.locator('.timeline-position')).toHaveText('Step 3 of 3');
  await expect(other.locator('#client-a .transcript .entry').last().locator('.out')).toHaveText('"bar"');
  await expect(other.locator('.app.embed')).toHaveCount(0);
  await other.close();
  // No "ran the link" notice inside a page: the page says what ran.
  await expect(first.locator('.notice')).toHaveCount(0);
  // It follows changes: sample data puts key chips on the map (taller),
  // Reset takes them away (shorter).
  const height = () => page.locator('#slots iframe').evaluate((f) => f.getBoundingClientRect().height);
  const before = await height();
  await first.getByRole('button', { name: 'A few keys' }).click();
  await expect(first.locator('.map-total')).toHaveText('10 keys in 8 of 16,384 slots');
  await expect.poll(height).toBeGreaterThan(before);
  await expect.poll(() => fits('#slots iframe')).toBeLessThan(2);
  const tall = await height();
  await first.getByRole('button', { name: 'Reset' }).click();
  await expect(first.locator('.map-total')).toHaveText('0 keys in 0 of 16,384 slots');
  await expect.poll(height).toBeLessThan(tall);
  await expect.poll(() => fits('#slots iframe')).toBeLessThan(2);
  await screenshot(page, 'embed-example-desktop', true);
});

test('scrubbing stays usable with 100,000 keys', async ({ page }) => {
  test.setTimeout(180_000);
  await open(page);
  await page.getByRole('button', { name: '100,000 keys' }).click();
  await expect(page.locator('.loading')).toHaveCount(0, { timeout: 120_000 });
  for (let i = 0; i < 12; i++) {
    await run(page, `SET k${i} ${i}`);
  }
  await expect(page.locator('.timeline-position')).toHaveText('Step 13 of 13');
  await page.locator('.timeline').focus();
  const times: number[] = [];
  for (const key of [...Array(13).fill('ArrowLeft'), ...Array(13).fill('ArrowRight')]) {
    const t = Date.now();
    await page.keyboard.press(key);
    await page.locator('.timeline-position').textContent();
    times.push(Date.now() - t);
  }
  await expect(page.locator('.timeline-position')).toHaveText('Step 13 of 13');
  console.log(`timeline steps with 100k keys (ms): back ${times.slice(0, 13).join(' ')}; forward ${times.slice(13).join(' ')}`);
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const worst = times[times.length - 1];
  console.log(`timeline step with 100k keys: median ${median} ms, worst ${worst} ms`);
  // Step 1 is the load itself: 100,000 keys at every step after it.
  await page.keyboard.press('Home');
  await expect(page.locator('.map-total')).toHaveText('0 keys in 0 of 16,384 slots');
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('.map-total')).toHaveText(/^100,000 keys/);
  await page.keyboard.press('End');
  await expect(page.locator('.map-total')).toHaveText(/^100,012 keys/);
  expect(median).toBeLessThan(400);
  expect(worst).toBeLessThan(2000);
});

for (const [name, viewport] of [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`screenshot timeline in the past ${name} ${scheme}`, async ({ page }) => {
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme: scheme });
      await open(page, '/?cmds=SET+foo+bar%0AMSET+user:1+a+user:2+b%0AMSET+{user}:1+a+{user}:2+b&autorun=1');
      await page.getByRole('button', { name: 'Step back (←)' }).click();
      await expect(page.locator('.timeline-position')).toHaveText('Step 2 of 3');
      await screenshot(page, `timeline-${name}-${scheme}`, name === 'phone');
    });
  }
  test(`screenshot embed ${name}`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await page.goto('/embed-example.html');
    await expect(page.frameLocator('#crossslot iframe').locator('#client-a .transcript .entry')).toHaveCount(3);
    await page.waitForTimeout(500);
    await screenshot(page, `embed-${name}`, true);
  });
}
