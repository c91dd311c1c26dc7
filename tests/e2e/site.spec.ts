import { expect, type Page, test } from '@playwright/test';

/** Fails the test on any console error or any failed request for an asset of ours. */
function watchForProblems(page: Page) {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`${res.status()} ${res.url()}`);
  });
  return problems;
}

test('the home page loads with links into the handbook and runbooks', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.goto('/');
  await expect(page).toHaveTitle(/Kestrel runbooks/);
  await expect(page.getByRole('link', { name: /First 15 minutes/ }).first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(problems).toEqual([]);
});

test('a runbook shows its severity badge, owner and shortlink on one summary line; the rest of the card opens on request', async ({
  page,
}) => {
  const problems = watchForProblems(page);
  await page.goto('/services/database/db-unreachable/');
  const summary = page.locator('.rb-card > summary');
  const badge = summary.locator('.sev-badge').first();
  await expect(badge).toHaveText(/SEV-\d.*(Critical|Major|Minor|Low)/);
  // Coloured, not only by text: the ladder colour reaches the badge.
  expect(await badge.evaluate((el) => getComputedStyle(el).borderTopColor)).not.toBe('rgba(0, 0, 0, 0)');
  await expect(summary.getByText('@db-team')).toBeVisible();
  await expect(summary.getByText('/r/db-down')).toBeVisible();
  const card = page.getByRole('definition').filter({ hasText: '@platform-team' });
  await expect(card).toBeHidden();
  await summary.click();
  await expect(card).toBeVisible();
  await expect(page.locator('.rb-card dl').getByRole('link', { name: '/r/pool-exhausted' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(problems).toEqual([]);
});

test('the severity page renders the ladder table from data', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.goto('/handbook/severity/');
  const table = page.locator('.severity-table table');
  await expect(table).toBeVisible();
  await expect(table.locator('tbody tr')).toHaveCount(4);
  for (const header of [
    'Level',
    'Definition',
    'Respond within',
    'Who is paged',
    'Resolve by',
    'Updates',
    'Postmortem',
  ]) {
    await expect(table.getByRole('columnheader', { name: header })).toBeAttached();
  }
  await expect(table.getByRole('rowheader').first()).toHaveText(/SEV-1.*Critical/);
  // On a desktop the ladder is a table: its column headers show and every column fits the content column.
  await expect(table.getByRole('columnheader', { name: 'Respond within' })).toBeVisible();
  const first = table.locator('tbody tr').first();
  expect(await first.locator('td[data-label="Respond within"]').evaluate((td) => getComputedStyle(td).display)).toBe(
    'table-cell',
  );
  const fits = () =>
    page.evaluate(() => {
      const t = document.querySelector('.severity-table table')!;
      return (
        t.getBoundingClientRect().right <=
          document.querySelector('.sl-markdown-content')!.getBoundingClientRect().right + 1 &&
        t.scrollWidth <= t.clientWidth + 1
      );
    });
  expect(await fits()).toBe(true);
  // On a phone every level reads as a card, each value with its label.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(table.getByRole('columnheader', { name: 'Respond within' })).not.toBeInViewport();
  expect(
    await first.locator('td[data-label="Respond within"]').evaluate((td) => getComputedStyle(td, '::before').content),
  ).toBe('"Respond within"');
  expect(await fits()).toBe(true);
  await page.waitForLoadState('networkidle');
  expect(problems).toEqual([]);
});

/**
 * Runs in the page: every word of every visible table cell whose line boxes lie on more
 * than one line, as "first words of the cell: word". A word is a run of non-space text
 * within one box (a paragraph or list item in the cell, an inline block); in prose a
 * hyphen or dash ends a word ("on-call" may wrap after its hyphen), in code nothing does.
 */
function brokenWords(): string[] {
  const broken: string[] = [];
  const cells = [...document.querySelectorAll('main table')].flatMap((t) => [...t.querySelectorAll('th, td')]);
  for (const cell of cells) {
    const box = cell.getBoundingClientRect();
    // A visually hidden header (the cards' thead) has no lines to break.
    if (box.width < 2 || box.height < 2 || cell.closest('thead')?.getBoundingClientRect().width === 1) continue;
    const blockOf = (node: Node) => {
      let el = node.parentElement!;
      while (el !== cell && getComputedStyle(el).display === 'inline') el = el.parentElement!;
      return el;
    };
    type Char = { node: Text; at: number; ch: string; code: boolean; block: Element } | undefined;
    const chars: Char[] = [];
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      const block = blockOf(node);
      const code = Boolean(node.parentElement!.closest('code, kbd, samp'));
      if (chars.length && chars.at(-1)?.block !== block) chars.push(undefined);
      for (let at = 0; at < node.data.length; at++) chars.push({ node, at, ch: node.data[at], code, block });
    }
    const words: [number, number][] = [];
    let start = -1;
    chars.forEach((c, i) => {
      if (!c || /\s/.test(c.ch)) {
        if (start >= 0) words.push([start, i - 1]);
        start = -1;
        return;
      }
      if (start < 0) start = i;
      if (!c.code && /[-\u2010-\u2014]/.test(c.ch)) {
        words.push([start, i]);
        start = -1;
      }
    });
    if (start >= 0) words.push([start, chars.length - 1]);
    for (const [a, b] of words) {
      const [first, last] = [chars[a]!, chars[b]!];
      const range = document.createRange();
      range.setStart(first.node, first.at);
      range.setEnd(last.node, last.at + 1);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
      // Two boxes of one word that do not overlap vertically sit on two lines.
      if (rects.some((r) => r.top >= rects[0].bottom - 1 || r.bottom <= rects[0].top + 1)) {
        const word = chars
          .slice(a, b + 1)
          .map((c) => c?.ch ?? ' ')
          .join('');
        broken.push(`${(cell.textContent ?? '').trim().slice(0, 30)}…: ${word}`);
      }
    }
  }
  return broken;
}

/** The example handbook pages (src/content/runbooks/handbook/). */
const HANDBOOK = [
  'severity',
  'roles',
  'first-15-minutes',
  'communication',
  'escalation',
  'on-call-handoff',
  'postmortem-template',
].map((p) => `/handbook/${p}/`);

for (const [device, viewport] of [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
] as const) {
  test(`${device}: no word in any table of the handbook pages breaks across lines`, async ({ browser }) => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    let tables = 0;
    for (const path of HANDBOOK) {
      await page.goto(path);
      tables += await page.locator('main table').count();
      await expect.poll(() => page.evaluate(brokenWords), { message: path }).toEqual([]);
    }
    // The ladder, its examples table, the escalation matrix and the others.
    expect(tables).toBeGreaterThanOrEqual(7);
    await context.close();
  });
}

test('the escalation matrix is a table at 1280 px, whole in the content column; labelled cards on a phone', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto('/handbook/escalation/');
  const matrix = page.locator('main table').filter({ has: page.getByRole('columnheader', { name: 'Owning team' }) });
  await expect(matrix.getByRole('columnheader', { name: 'Runbooks' })).toBeVisible();
  const cell = matrix.locator('td[data-label="Runbooks"]').first();
  expect(await cell.evaluate((td) => getComputedStyle(td).display)).toBe('table-cell');
  // Whole: no column scrolled out of sight, nothing past the content column's edge.
  expect(
    await matrix.evaluate(
      (t) =>
        t.scrollWidth <= t.clientWidth + 1 &&
        t.getBoundingClientRect().right <=
          document.querySelector('.sl-markdown-content')!.getBoundingClientRect().right + 1,
    ),
  ).toBe(true);
  await expect(cell.getByRole('link', { name: 'Latency after deploy' })).toBeInViewport({ ratio: 1 });

  await page.setViewportSize({ width: 390, height: 844 });
  await expect(matrix.getByRole('columnheader', { name: 'Runbooks' })).not.toBeInViewport();
  expect(await cell.evaluate((td) => getComputedStyle(td).display)).toBe('block');
  expect(await cell.evaluate((td) => getComputedStyle(td, '::before').content)).toBe('"Runbooks"');
  await context.close();
});

test("the sidebar groups runbooks by folder: the page's own groups open, small groups whole, a big group elsewhere one link", async ({
  page,
}) => {
  await page.goto('/services/database/db-unreachable/');
  const sidebar = page.getByRole('navigation', { name: 'Main' });
  for (const group of ['Handbook', 'Services', 'Database', 'Payments']) {
    await expect(sidebar.getByText(group, { exact: true }).first()).toBeAttached();
  }
  await expect(sidebar.getByRole('link', { name: 'Data-layer corruption' })).toBeVisible();
  // From the handbook, the ten service runbooks are one link to the first, with their count.
  await page.goto('/handbook/severity/');
  const services = sidebar.getByRole('link', { name: /^Services/ });
  await expect(services).toContainText('10');
  await expect(sidebar.getByRole('link', { name: 'Data-layer corruption' })).toHaveCount(0);
  // Every page is on /runbooks/, by folder.
  await page.goto('/runbooks/');
  await expect(
    page.locator('[id="services/database"]').locator('..').getByRole('link', { name: 'Data-layer corruption' }),
  ).toBeVisible();
});

test('Pagefind search finds a runbook by a word from its body', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.goto('/');
  await page
    .getByRole('button', { name: /Search/ })
    .first()
    .click();
  const input = page.getByRole('combobox', { name: 'Search runbooks' });
  // `pg_terminate_backend` appears only in the body of the database runbook, not in its frontmatter.
  await input.fill('terminate');
  const result = page
    .getByRole('group', { name: 'Full text' })
    .getByRole('option')
    .filter({ hasText: /Database unreachable/ });
  await expect(result.first()).toBeVisible();
  await expect(result.first()).toHaveAttribute('href', /\/services\/database\/db-unreachable\//);
  expect(problems).toEqual([]);
});

test('an unknown address shows the 404 page with a way back', async ({ page }) => {
  const res = await page.goto('/no/such/runbook/');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'No runbook here' })).toBeVisible();
  await expect(page.getByRole('link', { name: /First 15 minutes/ })).toBeVisible();
});

test('every validation rule has a docs page linked from /rules/', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.goto('/rules/');
  const links = page.locator('main table a[href^="/rules/"]');
  expect(await links.count()).toBeGreaterThanOrEqual(30);
  await page.getByRole('link', { name: 'var-undeclared' }).click();
  await expect(page).toHaveURL(/\/rules\/var-undeclared\/$/);
  await expect(page.getByRole('heading', { name: 'var-undeclared', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'How to fix' })).toBeVisible();
  expect(problems).toEqual([]);
});

test('a runbook page lists the alerts that land on it, and runbooks.json carries them', async ({ page, request }) => {
  await page.goto('/services/scheduler/jobs-stale/');
  const card = page.locator('.rb-card');
  const alerts = card.locator('.rb-alerts li');
  await expect(alerts).toHaveCount(2);
  await expect(alerts.nth(0).locator('.rb-alerts__name')).toHaveText('SchedulerHeartbeatMissing');
  await expect(alerts.nth(0)).toContainText('SEV-2');
  await expect(alerts.nth(1).locator('.rb-alerts__name')).toHaveText('JobOverdue');
  await expect(alerts.nth(1).locator('.rb-alerts__expr')).toHaveAttribute(
    'title',
    /^alerts\/kestrel\.rules\.yaml:\d+$/,
  );
  // Nothing is cut off: a long expression wraps inside the card.
  const overflow = await alerts
    .nth(1)
    .locator('.rb-alerts__expr')
    .evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);

  const catalog = await (await request.get('/runbooks.json')).json();
  const db = catalog.runbooks.find((r: { url: string }) => r.url === '/services/database/db-unreachable/');
  expect(db.alerts.map((a: { name: string }) => a.name)).toEqual([
    'PostgresPrimaryUnreachable',
    'PgbouncerPoolSaturated',
  ]);
  expect(catalog.site).toBe('https://runbooks.kestrel.example');
});
