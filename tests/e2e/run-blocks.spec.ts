import { expect, test, type Page } from '@playwright/test';

// The 3 a.m. page: every command visible without scrolling sideways, every guard the CLI
// applies said on the page, the first command on the first screen.

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** Every runbook page of the built site, from the catalog. */
async function runbookPages(page: Page): Promise<string[]> {
  const catalog = await (await page.request.get('/runbooks.json')).json();
  return (catalog.runbooks as { url: string }[]).map((r) => new URL(r.url, 'http://x').pathname);
}

/** Code elements on the page wider than their box (they would scroll sideways). */
const sideways = (page: Page) =>
  page.evaluate(() =>
    [
      ...document.querySelectorAll<HTMLElement>(
        '.rb-snippet pre, .rb-snippet__filled pre, .sl-markdown-content pre, .sl-markdown-content table',
      ),
    ]
      .filter((el) => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.closest('[id]')?.id ?? '?'}: ${el.scrollWidth} > ${el.clientWidth}`),
  );

for (const [name, viewport] of [
  ['desktop', DESKTOP],
  ['phone', PHONE],
] as const) {
  test(`no run block, code block or table scrolls sideways on any runbook, SLO or reference page (${name})`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    await page.goto('/');
    // Every runbook and handbook page, and the site's own pages with tables.
    const openslo = (await (await page.request.get('/slos.json')).json()) as {
      kind: string;
      metadata: { name: string };
    }[];
    const slos = openslo.filter((d) => d.kind === 'SLO').map((d) => `/slos/${d.metadata.name}/`);
    const pages = [...(await runbookPages(page)), '/rules/', '/slos/', ...slos, '/r/', '/runbooks/'];
    expect(pages.length).toBeGreaterThan(20);
    for (const path of pages) {
      await page.goto(path);
      expect(await sideways(page), path).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(viewport.width);
    }
  });
}

test('a long command wraps under a hanging indent with a continuation mark; a short one has none', async ({ page }) => {
  await page.setViewportSize(PHONE);
  await page.goto('/services/database/db-unreachable/');
  const lines = page.locator('#restart-pgbouncer .ec-line .code');
  const long = await lines.first().evaluate((el) => {
    const style = getComputedStyle(el);
    return {
      height: el.getBoundingClientRect().height,
      line: parseFloat(style.lineHeight),
      mark: style.backgroundSize,
    };
  });
  expect(long.height).toBeGreaterThan(long.line * 1.5);
  // The mark is a bar as tall as the continuation rows: the element minus its first row.
  expect(long.mark).toMatch(/^2px calc\(100% - /);
  const markHeight = await lines
    .first()
    .evaluate((el) => el.getBoundingClientRect().height - parseFloat(getComputedStyle(el).lineHeight));
  expect(markHeight).toBeGreaterThan(0);
  // The same page on a desktop: that command fits on one row and carries no mark.
  await page.setViewportSize(DESKTOP);
  const short = await page
    .locator('#check-pool .ec-line .code')
    .first()
    .evaluate((el) => el.getBoundingClientRect().height - parseFloat(getComputedStyle(el).lineHeight));
  expect(short).toBeLessThan(2);
  // The filled-in copy wraps the same way, with a long value.
  await page.setViewportSize(PHONE);
  await page.locator('details.rb-vars summary').click();
  await page
    .locator('[name="API_HEALTH_URL"]')
    .fill(`https://api.example.test/${'very-long-path-segment/'.repeat(8)}health`);
  await expect(page.locator('#api-health .rb-snippet__filled')).toBeVisible();
  expect(await sideways(page)).toEqual([]);
});

test('a run block says what the CLI enforces: needs (linked), timeout, confirm word, database; also without JavaScript', async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/services/database/data-corruption/');
  const facts = page.locator('#switch-primary .rb-snippet__facts');
  await expect(facts).toContainText('Run after #verify-restore');
  await expect(facts).toContainText('Stops after 6m');
  await expect(facts).toContainText('Confirm word switch-primary');
  await facts.getByRole('link', { name: '#verify-restore' }).click();
  await expect(page).toHaveURL(/#verify-restore$/);
  await expect(page.locator('#verify-restore')).toBeInViewport();
  await page.goto('/services/scheduler/jobs-stale/');
  await expect(page.locator('#job-runs .rb-snippet__facts')).toContainText('Database $DATABASE_URL');
  await expect(page.locator('#job-runs .rb-snippet__facts')).toContainText('Stops after 30s');
  await context.close();
});

test('copying a destructive block asks for its confirm word first; a wrong word copies nothing', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/services/database/data-corruption/');
  await page.evaluate(() => navigator.clipboard.writeText('untouched'));
  const block = page.locator('#switch-primary');
  await block.hover();
  await block.locator('.copy button').click();
  const input = block.getByLabel(/Type switch-primary to copy it/);
  await expect(input).toBeFocused();
  await input.fill('switch-primar');
  await input.press('Enter');
  await expect(block.getByRole('alert')).toHaveText(/not "switch-primary"/);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('untouched');
  await input.fill('switch-primary');
  await input.press('Enter');
  await expect(input).toHaveCount(0);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('ops/db-pitr.sh switch "$RESTORE_INSTANCE"');
  // With a value filled in, the filled command asks too, and copies the filled text.
  // (The block's Values link opens the field right at the block.)
  await block.getByRole('link', { name: '$RESTORE_INSTANCE' }).click();
  const field = block.locator('[name="RESTORE_INSTANCE"]');
  await expect(field).toBeFocused();
  await field.fill('pg-restore-20261201');
  await block.getByRole('button', { name: 'Copy command' }).click();
  await block.getByLabel(/Type switch-primary/).fill('switch-primary');
  await block.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect
    .poll(() => page.evaluate(() => navigator.clipboard.readText()))
    .toBe("ops/db-pitr.sh switch 'pg-restore-20261201'");
  // A read-only block copies at once.
  await page.locator('#damage-check').hover();
  await page.locator('#damage-check .copy button').click();
  await expect(page.locator('#damage-check .rb-confirm')).toHaveCount(0);
});

// The first command on the first screen (desktop and phone): first-screen.spec.ts.

test('"review overdue" is worked out in the browser with today\'s date, not at build time', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // The day after the last review: fresh.
  await page.clock.setFixedTime(new Date('2026-12-02T09:00:00Z'));
  await page.goto('/services/database/db-unreachable/');
  await expect(page.locator('.rb-card__stale')).toBeHidden();
  // A year later the same built page is overdue, by the right number of days.
  await page.clock.setFixedTime(new Date('2027-12-02T09:00:00Z'));
  await page.reload();
  await expect(page.locator('.rb-card__stale')).toBeVisible();
  await expect(page.locator('.rb-card dl')).toContainText('2026-12-01 (366 days ago) · every 90 days');
  await context.close();
  // Days count on the reader's calendar: late on 2 Dec 2027 in Auckland is already the 3rd there.
  const auckland = await browser.newContext({ timezoneId: 'Pacific/Auckland' });
  const there = await auckland.newPage();
  await there.clock.setFixedTime(new Date('2027-12-02T13:00:00Z'));
  await there.goto('/services/database/db-unreachable/');
  await expect(there.locator('.rb-card dl')).toContainText('(367 days ago)');
  await auckland.close();
});
