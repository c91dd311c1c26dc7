import { readFileSync } from 'node:fs';
import type { Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { readOfflineManifest } from '../../src/plugins/offline/build.ts';
import { serveStatic } from '../fixtures/static-server.ts';
import { astroBuild, scratchSite } from '../build/helpers.ts';

// A redeploy reaches a reader with the offline copy (src/plugins/offline/sw.js), against a real
// server and two real builds of a fixture site (not the example site the other specs serve):
// deploy A, visit, deploy B where one runbook is renamed (new slug and URL), visit online, and
// the new page, quick-jump index and search data come together; then the same offline.

const runbook = (title: string, slug: string) => `---
title: ${title}
owner: "@ops-team"
severity: P2
services: [storage]
shortlinks: [${slug}]
review:
  every: 30
  log:
    - { date: 2025-01-10, reviewer: "@ana", change: "First version" }
---

Free space on the quartzite volume before the writes stop.
`;

const OLD = { title: 'Disk full on the ingest hosts', path: '/ops/disk-full/' };
const NEW = { title: 'Volume full on the ingest hosts', path: '/ops/volume-full/' };

/** What Pagefind finds for `query`: URL and title of every result. */
const search = (page: Page, query: string) =>
  page.evaluate(async (q) => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- a URL of the built site: TypeScript must not resolve it
    const pagefind = await import('/pagefind/pagefind.js' as string);
    const found = await pagefind.search(q);
    return Promise.all(
      found.results.map(async (r: { data(): Promise<{ url: string; meta: { title: string } }> }) => {
        const d = await r.data();
        return `${d.url} ${d.meta.title}`;
      }),
    );
  }, query);

/** Quick-jump lists the renamed runbook under its new title, Pagefind finds it at its new address, and neither knows the old one. */
async function onlyTheNewOne(page: Page) {
  await page.keyboard.press('/');
  const box = page.getByRole('combobox', { name: 'Search runbooks' });
  await expect(box).toBeFocused();
  await box.fill('full ingest');
  const jump = page.getByRole('group', { name: 'Jump to' });
  await expect(jump.getByRole('option').first()).toContainText(NEW.title);
  await expect(jump).not.toContainText(OLD.title);
  await page.keyboard.press('Escape');
  const found = await search(page, 'quartzite');
  expect(found).toContain(`${NEW.path} ${NEW.title}`);
  expect(found.filter((r) => r.includes('disk-full') || r.includes(OLD.title))).toEqual([]);
}

/** What the active worker says of its version: wholly kept, and its build time. */
const saved = (page: Page) =>
  page.evaluate(async () => {
    const worker = (await navigator.serviceWorker.getRegistration())?.active;
    if (!worker) return undefined;
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (e: MessageEvent) => resolve(e.data as unknown);
      worker.postMessage({ type: 'rb-offline-status' }, [channel.port2]);
    });
  });

/** Whether a new version of the worker is installing. */
const installing = (page: Page) =>
  page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.installing));

/** The build time a build's worker carries. */
const built = (dist: string) => /"built":"([^"]+)"/.exec(readOfflineManifest(dist).worker)?.[1];

/** The manifests in the worker's cache. */
const manifests = (page: Page) =>
  page.evaluate(async () =>
    (await (await caches.open('rb-offline:/')).keys())
      .map((r) => new URL(r.url).pathname)
      .filter((p) => p.startsWith('/offline-manifest.')),
  );

test.describe('a redeploy that renames a runbook', () => {
  let A = '';
  let B = '';
  let root = '';
  let server: Server;
  let origin = '';
  /** While set, requests for build B's manifest wait here: B's worker cannot finish installing. */
  let held: ServerResponse[] | undefined = [];
  let manifestB = '';

  test.beforeAll(async () => {
    // Two builds of a small site on a busy machine.
    test.setTimeout(900_000);
    const a = astroBuild(
      scratchSite('basic', 'offline-update-a', {
        'src/content/runbooks/ops/disk-full.md': runbook(OLD.title, 'disk-full'),
      }),
    );
    expect(a.status, a.output).toBe(0);
    const b = astroBuild(
      scratchSite('basic', 'offline-update-b', {
        'src/content/runbooks/ops/volume-full.md': runbook(NEW.title, 'volume-full'),
      }),
    );
    expect(b.status, b.output).toBe(0);
    A = join(a.dir, 'dist');
    B = join(b.dir, 'dist');
    manifestB = readOfflineManifest(B).manifest;
    root = A;
    ({ server, origin } = await serveStatic(
      () => root,
      (path, res) => {
        if (!held || path !== `/${manifestB}`) return false;
        held.push(res);
        return true;
      },
    ));
  });
  test.afterAll(() => void server?.close());

  test('the next online visit gets the new page, quick-jump index and search together; the old page is gone, online and offline', async ({
    page,
    context,
  }) => {
    test.setTimeout(420_000);
    // Deploy A; one visit keeps the whole site.
    await page.goto(`${origin}${OLD.path}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(OLD.title);
    await expect(page.locator('[data-rb-offline-status]')).toHaveAttribute('data-state', 'ready');
    const manifestA = readOfflineManifest(A).manifest;
    expect(await manifests(page)).toEqual([`/${manifestA}`]);
    const offlineGetsA = async () => {
      await context.setOffline(true);
      await page.goto(`${origin}${OLD.path}`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(OLD.title);
      await context.setOffline(false);
    };
    await offlineGetsA();

    // Deploy B. The next online visit; B's worker is held mid-install, so A's worker answers:
    // the window in which a reader used to get fresh HTML with A's index and search data.
    root = B;
    await page.goto(`${origin}/`);
    await expect.poll(() => installing(page)).toBe(true);
    expect(await manifests(page)).toContain(`/${manifestA}`);
    const online = async () => {
      const moved = await page.goto(`${origin}${NEW.path}`);
      expect(moved?.status()).toBe(200);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(NEW.title);
      await onlyTheNewOne(page);
      const gone = await page.goto(`${origin}${OLD.path}`);
      expect(gone?.status()).toBe(404);
      await expect(page.getByRole('heading', { level: 1 })).not.toHaveText(OLD.title);
    };
    await online();

    // The host goes back to A before B's worker has its files: the install fails, and the
    // saved copy stays A's, whole.
    root = A;
    const waiting = held ?? [];
    held = undefined;
    for (const res of waiting)
      res.writeHead(200, { 'content-type': 'application/json' }).end(readFileSync(join(B, manifestB)));
    await expect.poll(() => installing(page)).toBe(false);
    expect(await saved(page)).toEqual({ complete: true, built: built(A) });
    await offlineGetsA();

    // B again: the next online visit installs it; it activates and A's entries go.
    root = B;
    await page.goto(`${origin}/`);
    // (Polled through the page's caches: a message to the old worker at every poll would keep it
    // busy, and Chromium activates the new one only once the old one is idle.)
    await expect.poll(() => manifests(page), { timeout: 180_000 }).toEqual([`/${manifestB}`]);
    expect(await saved(page)).toEqual({ complete: true, built: built(B) });
    await online();

    // Offline: B's copy, whole.
    await context.setOffline(true);
    await page.goto(`${origin}${NEW.path}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(NEW.title);
    await expect(page.getByRole('status').filter({ hasText: 'Offline — showing saved copy from' })).toBeVisible();
    await onlyTheNewOne(page);
    // A page both builds have is B's copy (none of A's fetched during the failed install).
    await page.goto(`${origin}/ops/queue-stuck/`);
    await expect(page.locator(`a[href="${NEW.path}"]`).first()).toBeAttached();
    await expect(page.locator(`a[href="${OLD.path}"]`)).toHaveCount(0);
    const gone = await page.goto(`${origin}${OLD.path}`);
    expect(gone?.status()).toBe(503);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not saved for offline use');
  });
});
