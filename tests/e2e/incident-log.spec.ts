import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { utcHhmm } from '../../src/plugins/incident/log-view.ts';
import { incidentLog, KEYS, type Store } from '../../src/plugins/incident/store.ts';
import { renderTimeline } from '../../src/plugins/incident/timeline.ts';

// The incident log (src/plugins/incident) on the built site in Chromium: what a responder
// did on the site (arrivals via shortlinks, commands copied, checklist ticks) kept with
// the incident in the browser, shown at /incident/, exported, cleared with the incident.

const RUNBOOK = '/services/database/db-unreachable/';
/** A value typed into a field: it must never reach the log or an export. */
const TYPED = 'https://api.example.test/typed-value-7731';

const headerLink = (page: Page) => page.locator('header a.rb-incident-link');
const rows = (page: Page) => page.locator('[data-rb-incident-rows] tr');

/** The browser's incident and log, read back through the store as Node sees it. */
async function storedLog(page: Page) {
  const saved = await page.evaluate(
    (keys) => [keys.map((k) => [k, localStorage.getItem(k)])],
    [KEYS.incident, KEYS.log],
  );
  const map = new Map(saved[0].filter((e): e is [string, string] => e[1] !== null));
  const store: Store = { getItem: (k) => map.get(k) ?? null, setItem: () => {}, removeItem: () => {} };
  return { raw: map.get(KEYS.log) ?? '', entries: incidentLog(store) };
}

/** Opens /incident/ and starts an incident that fired five minutes ago, for `operator`. */
async function startIncident(page: Page, operator: string) {
  await page.goto('/incident/');
  const fired = page.getByLabel('The page fired at (UTC)');
  // It defaults to now, in UTC.
  await expect(fired).toHaveValue(/^\d\d:\d\d$/);
  const now = Date.now();
  const value = await fired.inputValue();
  expect([utcHhmm(now), utcHhmm(now - 60_000)]).toContain(value);
  await fired.fill(utcHhmm(now - 5 * 60_000));
  await page.getByLabel(/Your name/).fill(operator);
  await page.getByRole('button', { name: 'Start incident' }).click();
  await expect(page.getByRole('heading', { level: 2, name: /^Incident \w+$/ })).toBeVisible();
  await expect(page.getByText(/^The page fired at \d\d:\d\d UTC \([56] min ago\)\. Operator: ana\./)).toBeVisible();
}

test('the incident log: shortlink arrivals, a copy and a tick, the timeline, its exports, a reload, the end', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await startIncident(page, 'ana');
  await expect(headerLink(page)).toHaveText('Incident log (0)');

  // Via a shortlink: logged on the page it leads to; the address stays the one published.
  await page.goto('/r/db-down');
  await page.waitForURL(`**${RUNBOOK}`);
  expect(new URL(page.url()).search).toBe('');
  await expect(headerLink(page)).toHaveText('Incident log (1)');
  // With a #step; a reload is not another arrival.
  await page.goto('/r/db-down#check-pool');
  await page.waitForURL(`**${RUNBOOK}#check-pool`);
  await expect(headerLink(page)).toHaveText('Incident log (2)');
  await page.reload();
  await expect(headerLink(page)).toHaveText('Incident log (2)');
  expect(await page.evaluate(() => sessionStorage.getItem('rb-via-shortlink'))).toBeNull();

  // A value filled in and its command copied: the block and the value's name are logged.
  const form = page.locator('details.rb-vars');
  if (!(await form.evaluate((d) => (d as HTMLDetailsElement).open))) await form.locator('summary').click();
  await page.locator('[name="API_HEALTH_URL"]').fill(TYPED);
  const filled = page.locator('#api-health .rb-snippet__filled');
  await expect(filled).toBeVisible();
  await filled.getByRole('button', { name: 'Copy command' }).click();
  await expect(headerLink(page)).toHaveText('Incident log (3)');
  // The header row holds the link: the page did not move.
  const header = await page.locator('header').boundingBox();
  const link = await headerLink(page).boundingBox();
  expect(link!.y + link!.height).toBeLessThanOrEqual(header!.y + header!.height);

  // A checklist tick, written as the handbook's page script writes one (through the store's format).
  await page.evaluate((key) => {
    const log = JSON.parse(localStorage.getItem(key) ?? '[]') as unknown[];
    log.push({
      ts: new Date().toISOString(),
      operator: '',
      runbook: { slug: 'handbook/first-15-minutes', file: '' },
      block: 'acknowledge',
      safety: '',
      incident: null,
      site: { action: 'ticked', detail: 'Acknowledge the page' },
    });
    localStorage.setItem(key, JSON.stringify(log));
  }, KEYS.log);

  // The timeline.
  await page.goto('/incident/');
  await expect(rows(page)).toHaveCount(4);
  const cells = async (i: number) => rows(page).nth(i).locator('td').allInnerTexts();
  expect((await cells(0)).slice(1)).toEqual(['db-down', 'opened on the site via /r/db-down']);
  expect((await cells(1)).slice(1)).toEqual(['db-down#check-pool', 'opened on the site via /r/db-down']);
  expect((await cells(2)).slice(1)).toEqual(['db-down#api-health', 'copied on the site (values: API_HEALTH_URL)']);
  expect((await cells(3)).slice(1)).toEqual([
    'handbook/first-15-minutes#acknowledge',
    'ticked on the site: Acknowledge the page',
  ]);
  expect((await cells(0))[0]).toMatch(/^\d\d:\d\d:\d\d$/);
  // Each step links back to the page and block.
  await expect(rows(page).nth(2).getByRole('link')).toHaveAttribute('href', `${RUNBOOK}#api-health`);
  await expect(rows(page).nth(0).getByRole('link')).toHaveAttribute('href', RUNBOOK);
  // A page without a shortlink goes by its path.
  await expect(rows(page).nth(3).getByRole('link')).toHaveAttribute('href', '/handbook/first-15-minutes/#acknowledge');

  // Copy as Markdown: renderTimeline's table of the same entries, as `runbook timeline` prints it.
  await page.getByRole('button', { name: 'Copy as Markdown' }).click();
  await expect(page.locator('[data-rb-incident-page]').getByRole('status')).toHaveText(
    'Copied the timeline as Markdown.',
  );
  const markdown = await page.evaluate(() => navigator.clipboard.readText());
  const { raw, entries } = await storedLog(page);
  expect(entries).toHaveLength(4);
  expect(markdown).toBe(renderTimeline(entries));
  expect(markdown).toContain('| Time (UTC) | Operator | Runbook step | Safety | Result | Duration |');
  expect(markdown).toMatch(
    /\| \d\d:\d\d:\d\d \| ana \| db-down#api-health \| read-only \| copied on the site \(values: API\\_HEALTH\\_URL\) \| — \|/,
  );

  // Download .jsonl: one transcript-shaped line per entry.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download .jsonl' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^incident-[a-z0-9]+-site\.jsonl$/);
  const jsonl = readFileSync(await download.path(), 'utf8');
  const lines = jsonl
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines).toHaveLength(4);
  for (const l of lines) for (const k of ['ts', 'block', 'safety', 'runbook']) expect(l).toHaveProperty(k);

  // The value typed is in none of it.
  const shown = await page.locator('main').innerText();
  for (const text of [raw, markdown, jsonl, shown]) expect(text).not.toContain('typed-value-7731');

  // A reload keeps it.
  await page.reload();
  await expect(rows(page)).toHaveCount(4);

  // End: confirm, then values, ticks and log are gone, and the header link with them.
  await page.getByRole('button', { name: 'End incident…' }).click();
  await page.getByRole('button', { name: 'Keep it open' }).click();
  await expect(rows(page)).toHaveCount(4);
  await page.getByRole('button', { name: 'End incident…' }).click();
  await page.getByRole('button', { name: 'End and clear' }).click();
  await expect(page.getByRole('button', { name: 'Start incident' })).toBeVisible();
  await expect(headerLink(page)).toHaveCount(0);
  expect(await page.evaluate((keys) => keys.map((k) => localStorage.getItem(k)), [KEYS.incident, KEYS.log])).toEqual([
    null,
    null,
  ]);
  await page.goto(RUNBOOK);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(headerLink(page)).toHaveCount(0);
});

test('an incident opened by typing a value starts at the arrival before it, can be moved back to when the page fired, and an empty log shows no table', async ({
  page,
}) => {
  // Arrived via the shortlink with no incident open: logged, not yet in an incident.
  await page.goto('/r/db-down');
  await page.waitForURL(`**${RUNBOOK}`);
  await expect(headerLink(page)).toHaveCount(0);
  // Typing a value opens the incident at the responder's first step (the arrival), not after it.
  const form = page.locator('details.rb-vars');
  if (!(await form.evaluate((d) => (d as HTMLDetailsElement).open))) await form.locator('summary').click();
  await form.locator('[name="OLDER_THAN_MIN"]').fill('15');
  await expect(headerLink(page)).toHaveText('Incident log (1)');
  await page.goto('/incident/');
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText('opened on the site via /r/db-down');
  // The page fired ten minutes ago: moved back, the arrival and the value stay the incident's.
  const change = page.getByRole('button', { name: 'Change time or name' });
  await change.click();
  await expect(change).toHaveAttribute('aria-expanded', 'true');
  const fired = page.getByLabel('The page fired at (UTC)');
  await expect(fired).toBeFocused();
  await fired.fill(utcHhmm(Date.now() - 10 * 60_000));
  await page.getByLabel(/Your name/).fill('bo');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(
    page.getByText(/^The page fired at \d\d:\d\d UTC \((10|11) min ago\)\. Operator: bo\. 1 entry\.$/),
  ).toBeVisible();
  await expect(rows(page)).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Save' })).toBeHidden();
  expect(await page.evaluate((key) => JSON.parse(localStorage.getItem(key)!).values, KEYS.incident)).toEqual({
    OLDER_THAN_MIN: '15',
  });
  // Ended, and a new one started with nothing done yet: no empty table (column headings over nothing).
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.getByRole('button', { name: 'Start incident' }).click();
  await expect(page.getByText('Nothing logged since the page fired.')).toBeVisible();
  await expect(page.locator('[data-rb-incident-table]')).toBeHidden();
});

test('without JavaScript a shortlink still redirects in one hop, and the log page says it needs JavaScript', async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/r/db-down');
  await page.waitForURL(`**${RUNBOOK}`);
  await page.goto('/incident/');
  await expect(page.getByText('The incident log needs JavaScript')).toBeVisible();
  await context.close();
});

test('the log page works offline after one visit to the site', async ({ page, context }) => {
  await page.goto('/');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
  });
  await context.setOffline(true);
  await page.goto('/incident/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Incident log');
  await page.getByRole('button', { name: 'Start incident' }).click();
  await expect(page.getByRole('heading', { level: 2, name: /^Incident \w+$/ })).toBeVisible();
  await page.goto(RUNBOOK);
  await expect(headerLink(page)).toHaveText('Incident log (0)');
  // Offline the worker answers /r/<slug> itself: the arrival is logged as online.
  await page.goto('/r/db-down#check-pool');
  await page.waitForURL(`**${RUNBOOK}#check-pool`);
  await expect(headerLink(page)).toHaveText('Incident log (1)');
  await context.setOffline(false);
});

for (const theme of ['light', 'dark'] as const) {
  for (const [device, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    test(`axe: the incident log, ${theme}, ${device}`, async ({ browser }) => {
      const context = await browser.newContext({ viewport });
      await context.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
      const page = await context.newPage();
      await page.goto('/incident/');
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      const check = async () => {
        const { violations } = await new AxeBuilder({ page }).analyze();
        const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual(
          [],
        );
      };
      await expect(page.getByRole('button', { name: 'Start incident' })).toBeVisible();
      await check();
      await page.getByRole('button', { name: 'Start incident' }).click();
      await page.goto('/r/db-down#check-pool');
      await page.waitForURL(`**${RUNBOOK}#check-pool`);
      await expect(headerLink(page)).toHaveText('Incident log (1)');
      await page.goto('/incident/');
      await expect(rows(page)).toHaveCount(1);
      await page.getByRole('button', { name: 'End incident…' }).click();
      await page.locator('details.rb-incident__export > summary').click();
      await check();
      await context.close();
    });
  }
}
