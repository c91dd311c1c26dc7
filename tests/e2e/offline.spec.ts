import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { readOfflineManifest, writeOfflineWorker } from '../../src/plugins/offline/build.ts';
import { serveStatic } from '../fixtures/static-server.ts';

// The offline service worker (src/plugins/offline) against the built site in Chromium:
// one online visit, then the network goes away.

/** Waits until the service worker controls the page; it activates only once precaching finished. */
async function installed(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
  });
}

/** The header's offline indicator (src/plugins/offline/components/Header.astro) showing a saved copy. */
const notice = (page: Page) => page.getByRole('status').filter({ hasText: 'Offline — showing saved copy from' });
/** The header's offline indicator, whatever it says. */
const indicator = (page: Page) => page.locator('[data-rb-offline-status]');

test('after one visit, runbooks, reloads, shortlinks and search work offline, with the cached-copy notice', async ({
  page,
  context,
}) => {
  await page.goto('/handbook/severity/');
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

  // The coverage page, for a lead preparing the on-call review on a train.
  await page.goto('/coverage/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Coverage');
  await expect(page.getByText(/of paging alerts land on a runbook reviewed within its cadence/)).toBeVisible();

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
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- a URL of the built site: TypeScript must not resolve it
    const pagefind = await import('/pagefind/pagefind.js' as string);
    const search = await pagefind.search('connection pool');
    const first = await search.results[0]?.data();
    return { count: search.results.length, url: first?.url as string | undefined };
  });
  expect(results.count).toBeGreaterThan(0);
  expect(results.url).toMatch(/^\/services\//);

  // The search dialog itself: quick-jump from its cached index, then Pagefind full text.
  await page.keyboard.press('/');
  const box = page.getByRole('combobox', { name: 'Search runbooks' });
  await expect(box).toBeFocused();
  await box.fill('db-down');
  await expect(page.getByRole('group', { name: 'Jump to' }).getByRole('option').first()).toContainText(
    'Database unreachable',
  );
  await box.fill('max_connections');
  const result = page
    .getByRole('group', { name: /Jump to|Full text/ })
    .getByRole('option')
    .filter({ hasText: /Database unreachable/ });
  await expect(result.first()).toBeVisible();
  await page.keyboard.press('Escape');

  // The machine outputs the site's scripts read.
  const json = await page.evaluate(async () => (await (await fetch('/shortlinks.json')).json()).version);
  expect(json).toBe(1);

  // Back online: fresh pages, no notice.
  await context.setOffline(false);
  await page.goto('/services/api/memory-leak/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Memory leak in kestrel-api pods');
  await expect(notice(page)).toHaveCount(0);
});

test('"Available offline" shows once every file of this version is kept, and offline says so', async ({
  page,
  context,
}) => {
  await page.goto('/services/database/db-unreachable/');
  const ready = indicator(page).getByRole('status');
  await expect(ready).toHaveText(/^Available offline saved /, { timeout: 60_000 });
  await expect(ready.locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
  // Only then: every file the build listed is in the cache.
  const { manifest, entries } = readOfflineManifest('dist');
  const kept = await page.evaluate(async () =>
    (await (await caches.open('rb-offline:/')).keys()).map((r) => new URL(r.url).pathname),
  );
  expect(kept).toContain(`/${manifest}`);
  for (const [path] of entries) expect(kept).toContain(`/${path}`);
  // The box was in the header from the first paint: filling it in moved nothing.
  const before = await page.getByRole('heading', { level: 1 }).boundingBox();
  await page.reload();
  await expect(ready).toHaveText(/^Available offline/, { timeout: 60_000 });
  expect(await page.getByRole('heading', { level: 1 }).boundingBox()).toEqual(before);

  // The network goes away under an open page: the indicator says so, and that the saved copy opens.
  await context.setOffline(true);
  await expect(ready).toHaveText(/^Offline — the saved copy opens from /);
  await expect(indicator(page)).toHaveAttribute('data-state', 'offline');
  await context.setOffline(false);
  await expect(ready).toHaveText(/^Available offline/);
});

test('offline, an address never saved says so (not "moved"), with the ways to what is saved', async ({
  page,
  context,
}) => {
  await page.goto('/handbook/severity/');
  await installed(page);
  await context.setOffline(true);
  for (const path of ['/services/no-such-runbook/', '/services/database/db-unreachable/no-such-step']) {
    const res = await page.goto(path);
    expect(res?.status()).toBe(503);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not saved for offline use');
    await expect(page.locator('main')).toContainText(`${path} is not among the pages saved on this device`);
    await expect(page.locator('main')).not.toContainText(/moved or been retired/);
    await expect(indicator(page).getByRole('status')).toHaveText(/^Offline — page not saved \(saved copy from .+\)$/);
  }
  // The way back in, offline: every runbook, and quick-jump.
  await page.locator('main').getByRole('button', { name: 'Search runbooks' }).click();
  await expect(page.getByRole('combobox', { name: 'Search runbooks' })).toBeFocused();
  await page.keyboard.press('Escape');
  await page.getByRole('link', { name: 'All runbooks' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('All runbooks');
  await expect(notice(page)).toBeVisible();
});

for (const theme of ['light', 'dark'] as const) {
  for (const [device, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    test(`axe: the offline indicator and the not-saved page, ${theme}, ${device}`, async ({ browser }) => {
      const context = await browser.newContext({ viewport });
      await context.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
      const page = await context.newPage();
      const serious = async (scope?: string) => {
        const builder = new AxeBuilder({ page });
        const { violations } = await (scope ? builder.include(scope) : builder).analyze();
        return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
      };
      await page.goto('/services/database/db-unreachable/');
      await expect(indicator(page)).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
      expect(await serious('header')).toEqual([]);
      await context.setOffline(true);
      await page.goto('/services/no-such-runbook/');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not saved for offline use');
      await expect(indicator(page)).toHaveAttribute('data-state', 'offline');
      expect(await serious()).toEqual([]);
      await context.close();
    });
  }
}

test('an online page served by the worker shows no notice', async ({ page }) => {
  await page.goto('/');
  await installed(page);
  const res = await page.goto('/services/auth/auth-broken/');
  expect(res?.fromServiceWorker()).toBe(true);
  expect(res?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(notice(page)).toHaveCount(0);
});

test.describe('updates on the next online visit', () => {
  // Two versions of the site: the built dist/ (A), and a copy with one runbook changed
  // whose worker and manifest the real build step wrote again (B). A small server serves
  // one or the other, as a host does before and after a deploy.
  let root = '';
  let server: Server;
  let origin = '';
  const A = join(tmpdir(), `rb-offline-a-${process.pid}`);
  const B = join(tmpdir(), `rb-offline-b-${process.pid}`);
  const PAGE = 'services/database/db-unreachable/index.html';

  test.beforeAll(async () => {
    for (const dir of [A, B]) {
      rmSync(dir, { recursive: true, force: true });
      cpSync('dist', dir, { recursive: true });
    }
    const html = readFileSync(join(B, PAGE), 'utf8');
    writeFileSync(
      join(B, PAGE),
      html.replace('</main>', '<p id="second-build">Changed in the second build.</p></main>'),
    );
    await writeOfflineWorker(B, new Date('2030-01-02T03:04:05Z'));
    root = A;
    ({ server, origin } = await serveStatic(() => root));
  });
  test.afterAll(() => {
    server?.close();
    for (const dir of [A, B]) rmSync(dir, { recursive: true, force: true });
  });

  test('a new build replaces the cached copies after one online visit, and its old files are cleaned up', async ({
    page,
    context,
  }) => {
    // The browser checks for, installs and activates the new worker in its own time: with
    // two other builds on this 2-core machine, activation has taken over a minute.
    test.setTimeout(420_000);
    await page.goto(`${origin}/`);
    await installed(page);
    await context.setOffline(true);
    await page.goto(`${origin}/${PAGE.replace('index.html', '')}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.locator('#second-build')).toHaveCount(0);

    // Deploy B; one online visit, nothing else.
    await context.setOffline(false);
    root = B;
    const manifestB = readOfflineManifest(B).manifest;
    await page.goto(`${origin}/handbook/severity/`);
    await expect
      .poll(
        () =>
          page.evaluate(async () =>
            (await (await caches.open('rb-offline:/')).keys()).map((r) => new URL(r.url).pathname),
          ),
        { timeout: 180_000 },
      )
      .toEqual(expect.arrayContaining([`/${manifestB}`]));
    // Activated: the old manifest is gone, so the cleanup ran.
    await expect
      .poll(
        () =>
          page.evaluate(
            async () =>
              (await (await caches.open('rb-offline:/')).keys()).filter((r) => r.url.includes('offline-manifest.'))
                .length,
          ),
        { timeout: 180_000 },
      )
      .toBe(1);

    await context.setOffline(true);
    await page.goto(`${origin}/${PAGE.replace('index.html', '')}`);
    await expect(page.locator('#second-build')).toHaveText('Changed in the second build.');
    await expect(notice(page).locator('time')).toHaveAttribute('datetime', '2030-01-02T03:04:05.000Z');
  });
});

test.describe('a host that serves _redirects', () => {
  let server: Server;
  let origin = '';
  // As Netlify and Cloudflare serve `_redirects`: /r/<slug> is a 301, not the page.
  test.beforeAll(async () => {
    ({ server, origin } = await serveStatic(
      () => 'dist',
      (path, res) => {
        const slug = /^\/r\/([^/]+)\/?$/.exec(path)?.[1];
        const link =
          slug &&
          JSON.parse(readFileSync('dist/shortlinks.json', 'utf8')).shortlinks.find(
            (l: { slug: string }) => l.slug === slug,
          );
        if (link) res.writeHead(301, { location: link.target }).end();
        return Boolean(link);
      },
    ));
  });
  test.afterAll(() => void server?.close());

  test('offline, /r/<slug> is resolved from the kept shortlinks.json, #step included', async ({ page, context }) => {
    await page.goto(`${origin}/handbook/severity/`);
    await installed(page);
    await context.setOffline(true);
    await page.goto(`${origin}/r/db-down`);
    await page.waitForURL('**/services/database/db-unreachable/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      'Database unreachable or connection pool exhausted',
    );
    await page.goto(`${origin}/r/api-rollback/`);
    await page.waitForURL('**/services/api/latency-after-deploy/#mitigate');
    await page.goto(`${origin}/r/db-down/#check-pool`);
    await page.waitForURL('**/services/database/db-unreachable/#check-pool');
    await expect(page.locator('#check-pool')).toBeInViewport();
    await expect(notice(page)).toBeVisible();
  });
});
