// Cluster operations in the playground: stopping a master and watching the
// failure detector flag it and promote its replica on the simulated clock,
// and a reshard stepped one command at a time (ASK mid-way, MOVED after) —
// with screenshots at desktop and phone (360 px) widths, light and dark
// (saved under ../screenshots). Every reply checked here is the engine's.
import { expect, Page, test } from '@playwright/test';
import { DESKTOP, lastEntry, open, run, screenshot, screenshotCases } from './helpers';


/** A plain redis-cli (no -c) on `port` for `client`. */
async function plainClient(page: Page, client: string, port: number) {
  const kind = page.locator(`#kind-picker-${client}`);
  if (!(await kind.isVisible())) {
    await page.locator(`#client-tab-${client}`).click();
  }
  await kind.selectOption('plain');
  await page.locator(`#node-picker-${client}`).selectOption(String(port));
}

const row = (page: Page, port: number) => page.locator(`.node-row[data-port="${port}"]`);

test.beforeEach(async ({ page }) => {
  await open(page);
});

test('stopping 7000: fail? then fail on the simulated clock, 7003 promoted, clients get the engine’s replies', async ({ page }) => {
  await plainClient(page, 'a', 7000);
  await run(page, 'SET bar 1', 'a');
  expect(await lastEntry(page, 'a')).toEqual(['127.0.0.1:7000> SET bar 1', 'OK']);
  await page.getByRole('button', { name: '+ Add client' }).click();
  await plainClient(page, 'b', 7003);

  await page.getByRole('button', { name: 'Stop 127.0.0.1:7000' }).click();
  await expect(row(page, 7000)).toHaveClass(/\bdown\b/);
  await expect(row(page, 7000).locator('.health-badge')).toHaveText('stopped');
  await expect(page.getByRole('button', { name: 'Start 127.0.0.1:7000' })).toBeVisible();
  await expect(page.locator('.ops-clock')).toContainText('5.0 s');

  // Nothing shortened: cluster-node-timeout 5000 ms, then 500 ms of
  // failure reports, then the election 1000 ms later.
  // fail? lasts 500 ms: poll more often than toHaveText does (up to 1 s apart).
  const badge = () => row(page, 7000).locator('.health-badge').textContent();
  await expect.poll(badge, { timeout: 9_000, intervals: [50] }).toBe('fail? +5.0 s');
  await expect(row(page, 7000).locator('.health-badge')).toHaveText('fail +5.5 s', { timeout: 3_000 });
  await expect(row(page, 7003).locator('.node-role')).toHaveText('master', { timeout: 4_000 });
  await expect(page.locator('.shard-0 .node-row .node-addr')).toHaveText(['7003', '7000']);
  await expect(page.locator('.ops-line.event')).toContainText([
    '7003 was promoted to master in place of 7000 (failover election)',
  ]);
  await expect(page.locator('.ops-clock')).toHaveCount(0);

  // A plain client on the stopped node, as redis-cli 7.0.15 prints it.
  await run(page, 'GET foo', 'a');
  expect(await lastEntry(page, 'a')).toEqual([
    '127.0.0.1:7000> GET foo',
    'Error: Server closed the connection',
  ]);
  await run(page, 'GET foo', 'a');
  expect(await lastEntry(page, 'a')).toEqual([
    'not connected> GET foo',
    'Could not connect to Redis at 127.0.0.1:7000: Connection refused',
  ]);
  // And on the promoted replica: foo is not its slot, bar came with the failover.
  await run(page, 'GET foo', 'b');
  expect(await lastEntry(page, 'b')).toEqual([
    '127.0.0.1:7003> GET foo',
    '(error) MOVED 12182 127.0.0.1:7002',
  ]);
  await run(page, 'GET bar', 'b');
  expect(await lastEntry(page, 'b')).toEqual(['127.0.0.1:7003> GET bar', '"1"']);

  // The steps are on the timeline: one back shows 7000 flagged fail, 7003 a replica.
  await page.getByRole('button', { name: 'Go to the start' }).click();
  await expect(row(page, 7000)).not.toHaveClass(/\bdown\b/);
  await page.getByRole('button', { name: 'Go to the last step' }).click();
  await expect(row(page, 7003).locator('.node-role')).toHaveText('master');
});

async function reshardTo(page: Page, slots: string, from: number, to: number) {
  await page.locator('.reshard-slots').fill(slots);
  await page.locator('.reshard-from').selectOption(String(from));
  await page.locator('.reshard-to').selectOption(String(to));
}

async function step(page: Page, times: number) {
  const button = page.getByRole('button', { name: 'Step', exact: true });
  const position = page.locator('.timeline-position');
  for (let i = 0; i < times; i++) {
    // Each Step is a step on the timeline.
    const before = await position.textContent();
    await button.click();
    await expect(position).not.toHaveText(before ?? '');
  }
}

test('a reshard of three slots, one command per Step: ASK mid-way, MOVED after', async ({ page }) => {
  await plainClient(page, 'a', 7002);
  await run(page, 'SET foo bar', 'a');
  expect(await lastEntry(page, 'a')).toEqual(['127.0.0.1:7002> SET foo bar', 'OK']);
  await reshardTo(page, '12181-12183', 7002, 7000);
  // Slot 12181 (no keys): IMPORTING, MIGRATING, GETKEYSINSLOT, NODE x3;
  // then 12182: IMPORTING, MIGRATING.
  await step(page, 8);
  await expect(page.locator('.slot-move')).toHaveText([
    'importing 12182 ← 7002',
    'migrating 12182 → 7000',
  ]);
  await expect(page.locator('.mark-label.moving')).toHaveText(['12182 → :7000']);
  await expect(page.locator('.ribbon-legend')).toContainText('migrating / importing');
  await expect(page.locator('.ops-line.command').first()).toContainText(
    '127.0.0.1:7002> CLUSTER SETSLOT 12182 MIGRATING ',
  );
  await expect(page.locator('.reshard-progress')).toContainText('now slot 12182; slots done: 1 of 3; keys moved: 0');
  // The key has not moved yet: 7002 still serves it.
  await run(page, 'GET foo', 'a');
  expect(await lastEntry(page, 'a')).toEqual(['127.0.0.1:7002> GET foo', '"bar"']);
  // GETKEYSINSLOT, then one MIGRATE batch: foo is on 7000 now, 7002 answers ASK.
  await step(page, 2);
  await expect(page.locator('.ops-line.command').first()).toHaveText(
    '127.0.0.1:7002> MIGRATE 127.0.0.1 7000 "" 0 60000 KEYS foo',
  );
  await run(page, 'GET foo', 'a');
  expect(await lastEntry(page, 'a')).toEqual([
    '127.0.0.1:7002> GET foo',
    '(error) ASK 12182 127.0.0.1:7000',
  ]);
  await page.getByRole('button', { name: 'Run to end' }).click();
  // The log shows the newest entry first, its lines in order.
  await expect(page.locator('.ops-entry').first().locator('.ops-line').last()).toHaveText(
    'reshard done: 3 slot(s), 1 key(s) moved from 7002 to 7000',
  );
  await expect(page.locator('.slot-move')).toHaveCount(0);
  await run(page, 'GET foo', 'a');
  expect(await lastEntry(page, 'a')).toEqual([
    '127.0.0.1:7002> GET foo',
    '(error) MOVED 12182 127.0.0.1:7000',
  ]);
});

test('the operations controls are keyboard-reachable', async ({ page }) => {
  const stop = page.getByRole('button', { name: 'Stop 127.0.0.1:7001' });
  await stop.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Start 127.0.0.1:7001' })).toBeFocused();
  await page.locator('.reshard-slots').focus();
  await page.keyboard.press('Tab');
  await expect(page.locator('.reshard-from')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.locator('.reshard-to')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Step', exact: true })).toBeFocused();
});

async function failoverScene(page: Page) {
  await page.getByRole('button', { name: 'Stop 127.0.0.1:7000' }).click();
  // Skip ahead instead of waiting: fail?, fail, the election.
  for (const badge of ['fail? +5.0 s', 'fail +5.5 s']) {
    await page.getByRole('button', { name: 'Skip ahead' }).click();
    await expect(row(page, 7000).locator('.health-badge')).toHaveText(badge);
  }
  await page.getByRole('button', { name: 'Skip ahead' }).click();
  await expect(row(page, 7003).locator('.node-role')).toHaveText('master');
  await page.getByRole('button', { name: 'Stop 127.0.0.1:7004' }).click();
}

async function reshardScene(page: Page) {
  await run(page, 'SET foo bar', 'a');
  await reshardTo(page, '12182-12184', 7002, 7001);
  await step(page, 4);
  await expect(page.locator('.slot-move')).toHaveCount(2);
}

for (const c of screenshotCases(
  [
    // Opened again at the screenshot's width.
    ['ops-failover', async (page) => (await open(page), await failoverScene(page))],
    ['ops-reshard', async (page) => (await open(page), await reshardScene(page))],
  ],
  {
    viewports: [
      ['desktop', DESKTOP],
      ['phone', { width: 360, height: 780 }],
    ],
    shoot: async (page, name) => {
      await screenshot(page, name, false, page.locator('.cluster-map'));
      // Nothing sticks out sideways at this width.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
    },
  },
)) {
  test(c.title, ({ page }) => c.run(page));
}

// The whole page at phone width in dark, after the failover: client A was
// on 7000, so its console and its struck-through badge say it is not
// connected any more.
test('screenshot ops-failover-page phone dark', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await open(page);
  await failoverScene(page);
  await run(page, 'GET foo', 'a');
  await expect(row(page, 7000).locator('.client-badge.not-connected')).toHaveAttribute(
    'title',
    'A: not connected (node stopped)',
  );
  await screenshot(page, 'ops-failover-page-phone-dark', true);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
});
