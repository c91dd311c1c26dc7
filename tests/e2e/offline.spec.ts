import { expect, type Page, test } from '@playwright/test';

// The offline service worker (src/plugins/offline) against the built site in Chromium:
// one online visit, then the network goes away.

/** Waits until the service worker controls the page; it activates only once precaching finished. */
async function installed(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
  });
}

const notice = (page: Page) => page.getByRole('status').filter({ hasText: 'Offline — showing the cached copy from' });

test('after one visit, runbooks, reloads, shortlinks and search work offline, with the cached-copy notice', async ({ page, context }) => {
  await page.goto('/handbook/');
  await installed(page);
  await expect(notice(page)).toHaveCount(0);

  await context.setOffline(true);
  // A runbook never visited.
  await page.goto('/services/database/db-unreachable/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Database unreachable or connection pool exhausted');
  await expect(notice(page)).toBeVisible();
  await expect(notice(page).locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);

  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Database unreachable or connection pool exhausted');
  await expect(notice(page)).toBeVisible();

  // The same page without the trailing slash, and as index.html.
  for (const path of ['/services/api/memory-leak', '/services/api/memory-leak/index.html']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Memory leak in kestrel-api pods');
  }

  // Shortlinks, with and without the trailing slash, and with a #step.
  await page.goto('/r/db-down');
  await page.waitForURL('**/services/database/db-unreachable/');
  await page.goto('/r/api-rollback/');
  await page.waitForURL('**/services/api/latency-after-deploy/#mitigate');
  await expect(page.locator('#mitigate')).toBeInViewport();
  await page.goto('/r/db-down/#check-pool');
  await page.waitForURL('**/services/database/db-unreachable/#check-pool');
  await expect(page.locator('#check-pool')).toBeInViewport();
  await expect(notice(page)).toBeVisible();

  // Pagefind, as the search box uses it.
  const results = await page.evaluate(async () => {
    const pagefind = await import('/pagefind/pagefind.js' as string);
    const search = await pagefind.search('connection pool');
    const first = await search.results[0]?.data();
    return { count: search.results.length, url: first?.url as string | undefined };
  });
  expect(results.count).toBeGreaterThan(0);
  expect(results.url).toMatch(/^\/services\//);

  // The search dialog itself.
  await page.getByRole('button', { name: /Search/ }).first().click();
  await page.getByRole('searchbox').or(page.locator('input.pagefind-ui__search-input')).first().fill('max_connections');
  const result = page.locator('.pagefind-ui__result-link').filter({ hasText: /Database unreachable/ });
  await expect(result.first()).toBeVisible({ timeout: 15_000 });

  // The machine outputs the site's scripts read.
  const json = await page.evaluate(async () => (await (await fetch('/shortlinks.json')).json()).version);
  expect(json).toBe(1);

  // Back online: fresh pages, no notice.
  await context.setOffline(false);
  await page.goto('/services/api/memory-leak/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Memory leak in kestrel-api pods');
  await expect(notice(page)).toHaveCount(0);
});

test('an online page served by the worker shows no notice', async ({ page }) => {
  await page.goto('/');
  await installed(page);
  const res = await page.goto('/services/auth/auth-broken/');
  expect(res?.fromServiceWorker()).toBe(true);
  expect(res?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(notice(page)).toHaveCount(0);
});
