import { expect, type Page, test } from '@playwright/test';

// Search that tells the truth, on the built example site's real indexes (quick-jump's and
// Pagefind's), through the dialog a responder uses: what they type at 3 a.m. and the first
// result Enter would open.

const DB = '/services/database/db-unreachable/';
const input = (page: Page) => page.getByRole('combobox', { name: 'Search runbooks' });
const options = (page: Page) => page.getByRole('listbox', { name: 'Results' }).getByRole('option');
const status = (page: Page) => page.getByRole('dialog', { name: 'Search runbooks' }).getByRole('status');
/** Pages that list or redirect to runbooks, or describe the site: never full-text results. */
const UTILITY = /^\/(r|slos|rules|coverage|runbooks)\/|^\/$/;

/** Types `q` and waits until both result groups answered it (the status line says so). */
async function search(page: Page, q: string) {
  await input(page).fill('');
  await expect(status(page)).toHaveText(/^Type to search/);
  await input(page).fill(q);
  await expect(status(page)).toHaveText(/ in full text/, { timeout: 30_000 });
}

const hrefs = (page: Page) => options(page).evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''));

async function openSearch(page: Page) {
  await page.goto('/handbook/roles/');
  await page.keyboard.press('/');
  await expect(input(page)).toBeFocused();
}

// Each query with the page a responder means. Words only in a page's body (kill sessions,
// clock skew) reach it through Pagefind; names and titles through the quick-jump index.
const RANKING: [query: string, first: string][] = [
  ['kill sessions', DB],
  ['database down', DB],
  ['restart pgbouncer', DB],
  ['PgbouncerPoolSaturated', DB],
  ['rollback deploy', '/services/api/latency-after-deploy/'],
  ['payments provider', '/services/payments/provider-outage/'],
  ['fail over provider', '/services/payments/provider-outage/'],
  ['stale jobs', '/services/scheduler/jobs-stale/'],
  ['release lock', '/services/scheduler/jobs-stale/'],
  ['rotate signing secret', '/services/auth/auth-broken/'],
  ['clock skew', '/services/auth/auth-broken/'],
  ['Login failures spike', '/services/auth/auth-broken/'],
  ['leaked secret', '/services/security/security-incident/'],
  ['point in time restore', '/services/database/data-corruption/'],
  ['heap snapshot', '/services/api/memory-leak/'],
  ['telemetry-ingest', '/services/cli/telemetry-errors/'],
  ['purge cache', '/services/links/shortlink-404s/'],
  ['incident commander', '/handbook/roles/'],
  ['hand over pager', '/handbook/on-call-handoff/'],
];

test('the first result of realistic queries is the page a responder means; no utility page is listed', async ({
  page,
}) => {
  await openSearch(page);
  const wrong: string[] = [];
  for (const [q, want] of RANKING) {
    await search(page, q);
    const got = await hrefs(page);
    if (got[0] !== want) wrong.push(`${q}: first ${got[0] ?? '(nothing)'}, want ${want}`);
    const utility = got.filter((h) => UTILITY.test(h));
    if (utility.length) wrong.push(`${q}: lists ${utility.join(', ')}`);
  }
  expect(wrong).toEqual([]);
});

test('words no page has all of come last, under "Near matches", and Enter opens the best hit', async ({ page }) => {
  await openSearch(page);
  // "kill sessions": only "session" is in a title (the logins runbook); the database
  // runbook has both words in a step. Full text first, the title's near match below.
  await search(page, 'kill sessions');
  await expect(options(page).first()).toHaveAttribute('href', DB);
  const near = page.getByRole('group', { name: 'Near matches' }).getByRole('option');
  await expect(near.first()).toHaveAttribute('href', '/services/auth/auth-broken/');
  await expect(input(page)).toHaveAttribute('aria-activedescendant', (await options(page).first().getAttribute('id'))!);
  // No runbook is about a full disk: nothing claims to be, the near matches say what they are.
  await search(page, 'disk full');
  await expect(status(page)).toHaveText(/^0 to jump to, 0 in full text, [1-9]\d* near match/);
  expect(await options(page).count()).toBe(await near.count());
  await search(page, 'kill sessions');
  await input(page).press('Enter');
  await expect(page).toHaveURL(new RegExp(`${DB}$`));
});

test('the overdue banner is never indexed: "review overdue" does not find a runbook for its banner', async ({
  page,
}) => {
  await page.goto(DB);
  // The banner is in the page (hidden while the review is not due), and out of the index.
  await expect(page.getByText(/Review overdue/).first()).toBeAttached();
  await page.keyboard.press('/');
  await search(page, 'review overdue');
  const got = await hrefs(page);
  expect(got).not.toContain(DB);
  const full = page.getByRole('group', { name: 'Full text' });
  await expect(full).not.toContainText('Review overdue');
  await expect(full).not.toContainText('check each step before you rely on it');
});

test("Pagefind's index: only runbook and handbook pages (SLO pages behind their filter), no UI or hidden text", async ({
  page,
}) => {
  await page.goto('/');
  const indexed = await page.evaluate(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- a URL of the built site: TypeScript must not resolve it
    const pf = (await import('/pagefind/pagefind.js' as string)) as {
      init(): Promise<void>;
      search(q: null, o: object): Promise<{ results: { data(): Promise<{ url: string; content: string }> }[] }>;
    };
    await pf.init();
    const all = await pf.search(null, {});
    const pages = await Promise.all(all.results.map((r) => r.data()));
    // Every element of an indexed page a reader does not read as content: hidden, a control, a screen-reader label.
    const leaks: string[] = [];
    for (const { url } of pages) {
      const doc = new DOMParser().parseFromString(await (await fetch(url)).text(), 'text/html');
      const body = doc.querySelector('[data-pagefind-body]');
      for (const el of body?.querySelectorAll('[hidden], button, form, select, .sr-only, [role="status"]') ?? [])
        if (!el.closest('[data-pagefind-ignore]') && el.textContent?.trim())
          leaks.push(
            `${url}: <${el.tagName.toLowerCase()} class="${el.className}"> ${el.textContent.trim().slice(0, 40)}`,
          );
    }
    const slo = await pf.search(null, { filters: { page: 'SLO' } });
    return {
      urls: pages.map((p) => p.url),
      text: pages.map((p) => `${p.url} ${p.content}`).join('\n'),
      slo: await Promise.all(slo.results.map(async (r) => (await r.data()).url)),
      leaks,
    };
  });
  expect(indexed.urls).toContain(DB);
  expect(indexed.urls).toContain('/handbook/severity/');
  expect(indexed.urls.filter((u) => UTILITY.test(u) && !u.startsWith('/slos/'))).toEqual([]);
  expect(indexed.slo.length).toBeGreaterThan(0);
  expect(indexed.slo.every((u) => /^\/slos\/[^/]+\/$/.test(u))).toBe(true);
  // Expressive Code's "Terminal window" label on a terminal frame is the one known exception.
  expect(indexed.leaks.filter((l) => !l.endsWith('> Terminal window'))).toEqual([]);
  for (const ui of [
    'Review overdue',
    'In a terminal',
    'Copy command',
    'With your values',
    'Stops after',
    'Fill in values',
  ])
    expect(indexed.text, ui).not.toContain(ui);
});

test('SLO pages only when asked for: the Pages filter', async ({ page }) => {
  await openSearch(page);
  await search(page, 'checkout');
  expect((await hrefs(page)).filter((h) => h.startsWith('/slos/'))).toEqual([]);
  await page.getByLabel('Pages', { exact: true }).selectOption('SLO');
  await expect(options(page).first()).toHaveAttribute('href', '/slos/checkout-success/', { timeout: 30_000 });
  expect((await hrefs(page)).every((h) => h.startsWith('/slos/'))).toBe(true);
});
