// End-to-end flows of the playground: a WATCH race between two clients, a
// CROSSSLOT with its fix, a MOVED arrow, the map updating, the cluster-aware
// client, typing speed with 100k keys — and screenshots at desktop and
// phone sizes in light and dark (saved under ../screenshots).
import { expect, Page, test } from '@playwright/test';
import { lastEntry, open, run, screenshotCases } from './helpers';


async function watchRace(page: Page) {
  await page.getByRole('button', { name: '+ Add client' }).click();
  await expect(page.locator('#client-b')).toHaveCount(1);
  await run(page, 'SET foo 1', 'a');
  await run(page, 'WATCH foo', 'a');
  await run(page, 'MULTI', 'a');
  await run(page, 'INCR foo', 'a');
  await run(page, 'SET foo 9', 'b');
  await run(page, 'EXEC', 'a');
}

async function crossSlot(page: Page) {
  await run(page, 'MSET user:1 a user:2 b');
}

async function hotSpot(page: Page) {
  await page.getByRole('button', { name: /Hot spot/ }).click();
  await expect(page.locator('.hot-warning')).toBeVisible();
  await page.locator('#kind-picker-a').selectOption('cluster');
  await run(page, 'MGET foo user:1 {all}:1');
}

test.beforeEach(async ({ page }) => {
  await open(page);
});

test('a WATCH race between two clients: EXEC answers nil and says who changed the key', async ({ page }) => {
  await page.getByRole('button', { name: '+ Add client' }).click();
  await run(page, 'WATCH foo', 'a');
  await run(page, 'MULTI', 'a');
  await run(page, 'INCR foo', 'a');
  await expect(page.locator('.tx-card .tx-queue tbody td')).toHaveText([
    '1', 'INCR foo', '12182', ':7002', 'QUEUED',
  ]);
  await run(page, 'SET foo 9', 'b');
  expect(await lastEntry(page, 'b')).toEqual([
    '127.0.0.1:7000> SET foo 9',
    '-> Redirected to slot [12182] located at 127.0.0.1:7002',
    'OK',
  ]);
  await expect(page.locator('.tx-card .watch-item')).toContainText('changed by Client B');
  await run(page, 'EXEC', 'a');
  expect(await lastEntry(page, 'a')).toEqual(['127.0.0.1:7002(TX)> EXEC', '(nil)']);
  await expect(page.locator('.tx-card .verdict')).toContainText('EXEC-time WATCH check');
  await expect(page.locator('.tx-card .verdict')).toContainText('foo by Client B');
});

test('CROSSSLOT: the disagreeing key is highlighted and the suggested fix works', async ({ page }) => {
  await crossSlot(page);
  expect(await lastEntry(page)).toEqual([
    '127.0.0.1:7000> MSET user:1 a user:2 b',
    "(error) CROSSSLOT Keys in request don't hash to the same slot",
  ]);
  const trace = page.locator('.route-trace');
  await expect(trace.locator('.cs-key.sets')).toContainText('slot 10778');
  await expect(trace.locator('.cs-key.disagrees')).toContainText('user:2');
  await expect(trace.locator('.cs-key.disagrees')).toContainText('slot 6777');
  await expect(trace.locator('.fix-line')).toHaveText('MSET {user}:1 a {user}:2 b');
  await expect(trace.locator('.fix-slot')).toContainText('slot 5474 on 127.0.0.1:7001 (shard 2)');
  await trace.getByRole('button', { name: "Put it in Client A's prompt" }).click();
  await expect(page.locator('#cli-input-a')).toHaveValue('MSET {user}:1 a {user}:2 b');
  await expect(page.locator('#cli-input-a')).toBeFocused();
  await page.locator('#cli-input-a').press('Enter');
  await expect(page.locator('#client-a .transcript .entry').last().locator('.out')).toHaveText([
    '-> Redirected to slot [5474] located at 127.0.0.1:7001',
    'OK',
  ]);
  await expect(page.locator('.shard-card[data-shard="1"] .shard-keys')).toHaveText('2');
});

test('MOVED is drawn as an arrow between nodes', async ({ page }) => {
  await page.locator('#kind-picker-a').selectOption('plain');
  await run(page, 'GET foo');
  expect(await lastEntry(page)).toEqual(['127.0.0.1:7000> GET foo', '(error) MOVED 12182 127.0.0.1:7002']);
  await expect(page.locator('.route-trace .hop-label')).toHaveText('MOVED 12182 → :7002');
  await page.locator('#kind-picker-a').selectOption('redirect');
  await run(page, 'GET foo');
  await expect(page.locator('.route-trace .seq-send')).toHaveCount(2);
  await expect(page.locator('.route-trace .hop-arrow')).toHaveCount(1);
  await expect(page.locator('.route-trace .trace-summary')).toContainText('redis-cli -c reconnected');
});

test('the map updates: key counts, key chips, ribbon marks', async ({ page }) => {
  await expect(page.locator('.map-total')).toHaveText('0 keys in 0 of 16,384 slots');
  await run(page, 'SET foo bar');
  await expect(page.locator('.shard-card[data-shard="2"] .shard-keys')).toHaveText('1');
  await expect(page.locator('.shard-card[data-shard="2"] .key-chip.last')).toContainText('foo');
  await expect(page.locator('.ribbon .mark-label.last')).toHaveText('foo · 12182');
  await expect(page.locator('.map-total')).toHaveText('1 key in 1 of 16,384 slots');
  // The client badge shows where client A is connected now.
  await expect(page.locator('.shard-card[data-shard="2"] .node-row').first().locator('.client-badge')).toHaveText('A');
  await page.getByRole('button', { name: 'A few keys' }).click();
  await expect(page.locator('.map-total')).toHaveText('10 keys in 8 of 16,384 slots');
  // A chip opens the key in the inspector.
  await page.locator('.key-chip', { hasText: '{user1000}.followers' }).click();
  await expect(page.getByLabel('Key', { exact: true })).toHaveValue('{user1000}.followers');
  await expect(page.locator('.free-key .slot-number')).toHaveText('3443');
});

test('hot spot: 1,000 keys tagged {all} raise a warning', async ({ page }) => {
  await hotSpot(page);
  await expect(page.locator('.hot-warning')).toContainText('slot 3894 holds 1,000 of the 1,000 keys');
  await expect(page.locator('.hot-warning')).toContainText('{all}');
  // The cluster-aware client split the MGET, no redirect.
  await expect(page.locator('.route-trace .hop-arrow')).toHaveCount(0);
  await expect(page.locator('.route-trace .client-side')).toContainText('split into 3 MGETs');
  expect((await lastEntry(page)).slice(-1)).toEqual(['1) (nil)\n2) (nil)\n3) "1"']);
});

test('typing stays well under a frame with 100,000 keys loaded', async ({ page }) => {
  test.setTimeout(120_000);
  await page.getByRole('button', { name: '100,000 keys' }).click();
  await expect(page.locator('.loading')).toHaveCount(0, { timeout: 90_000 });
  await expect(page.locator('.map-total')).toHaveText(/^100,000 keys in 16,\d{3} of 16,384 slots$/);
  const stats = await page.evaluate(async () => {
    const input = document.querySelector('#cli-input-a') as HTMLInputElement;
    const work: number[] = [];
    const frame: number[] = [];
    let stale = 0;
    for (let i = 0; i < 40; i++) {
      const t = performance.now();
      const line = `MGET user:${i} {user${i}}.x`;
      input.value = line;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      // Yew renders in a microtask queued by the input handler, so after one
      // microtask the DOM shows the new line (checked below).
      await new Promise((r) => queueMicrotask(() => r(null)));
      work.push(performance.now() - t);
      if (document.querySelector('.line-report .key-bytes')?.textContent !== `user:${i}`) stale++;
      // Until the next task: includes the browser's style and layout.
      await new Promise((r) => setTimeout(r, 0));
      frame.push(performance.now() - t);
      await new Promise((r) => requestAnimationFrame(() => r(null)));
    }
    work.sort((a, b) => a - b);
    frame.sort((a, b) => a - b);
    return { work: work[20], workP90: work[36], frame: frame[20], stale };
  });
  console.log(
    `keystroke with 100k keys: app work median ${stats.work.toFixed(1)} ms (p90 ${stats.workP90.toFixed(1)}), ` +
      `to next task ${stats.frame.toFixed(1)} ms`,
  );
  expect(stats.stale).toBe(0);
  expect(stats.work).toBeLessThan(8);
  // Scheduling noise on a shared machine makes this one loose; it only
  // catches a stall (the app's own work is checked above).
  expect(stats.frame).toBeLessThan(50);
  // The key inspector followed the last keystroke.
  await expect(page.locator('.line-report .key-card')).toHaveCount(2);
  // A command still runs promptly.
  await run(page, 'GET user:7');
  // user:7 is in slot 2780, which 7000 owns: no redirect; SET user:7 was 7*7 % 1000.
  expect(await lastEntry(page)).toEqual(['127.0.0.1:7000> GET user:7', '"49"']);
});

for (const c of screenshotCases([
  ['crossslot', crossSlot],
  ['watch-race', watchRace],
  ['hot-spot', hotSpot],
])) {
  test(c.title, ({ page }) => c.run(page));
}
