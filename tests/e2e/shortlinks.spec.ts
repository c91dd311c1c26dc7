import { expect, test } from '@playwright/test';

/** Follows `path` and records every main-frame document the browser loaded on the way. */
async function follow(page: import('@playwright/test').Page, path: string) {
  const documents: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) documents.push(new URL(frame.url()).pathname + new URL(frame.url()).hash);
  });
  const first = await page.goto(path);
  await page.waitForURL((url) => !url.pathname.startsWith('/r/'));
  await page.waitForLoadState('load');
  return { documents, first };
}

test('/r/<slug> lands on the runbook after exactly one redirect', async ({ page }) => {
  const { documents, first } = await follow(page, '/r/db-down');
  expect(first?.status()).toBe(200);
  expect(documents).toEqual(['/r/db-down', '/services/database/db-unreachable/']);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Database unreachable or connection pool exhausted');
});

test('an anchored shortlink lands on the heading', async ({ page }) => {
  const { documents } = await follow(page, '/r/api-rollback/');
  expect(documents).toEqual(['/r/api-rollback/', '/services/api/latency-after-deploy/#mitigate']);
  await expect(page.locator('#mitigate')).toBeInViewport();
});

test('the redirect page works without JavaScript too: it lands by meta refresh, with a visible link and a canonical URL', async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  // A real navigation with scripting off: only the meta refresh can move the browser on.
  await page.goto('/r/db-down/');
  await page.waitForURL('**/services/database/db-unreachable/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Database unreachable or connection pool exhausted');
  // What a browser that refuses refreshes still gets: a link to click, and the canonical URL.
  const html = await (await page.request.get('/r/db-down/')).text();
  expect(html).toContain('<meta http-equiv="refresh" content="0;url=/services/database/db-unreachable/">');
  expect(html).toContain(
    '<link rel="canonical" href="https://runbooks.kestrel.example/services/database/db-unreachable/">',
  );
  expect(html).toContain('<a href="/services/database/db-unreachable/">');
  await context.close();
});

test('an unknown shortlink shows a 404 that links to the shortlink index', async ({ page }) => {
  const res = await page.goto('/r/no-such-slug/');
  expect(res?.status()).toBe(404);
  await page.getByRole('link', { name: 'shortlink index' }).click();
  await expect(page).toHaveURL(/\/r\/$/);
  await expect(page.getByRole('heading', { name: 'Shortlinks', level: 1 })).toBeVisible();
  await expect(page.locator('#r-db-down')).toContainText('Database unreachable');
  await expect(page.locator('#r-db-down')).toContainText('@db-team');
});

test('a #step typed after a shortlink survives the redirect', async ({ page }) => {
  const { documents } = await follow(page, '/r/db-down#check-pool');
  expect(documents).toEqual(['/r/db-down#check-pool', '/services/database/db-unreachable/#check-pool']);
  await expect(page.locator('#check-pool')).toBeInViewport();
});

test('an unknown slug suggests the nearest published ones, keeping the typed #step', async ({ page }) => {
  const res = await page.goto('/r/db_down#check-pool');
  expect(res?.status()).toBe(404);
  const box = page.getByRole('region', { name: /No shortlink \/r\/db_down/ });
  await expect(box).toBeVisible();
  const first = box.getByRole('link').first();
  await expect(first).toContainText('/r/db-down');
  await expect(first).toContainText('Database unreachable');
  await first.click();
  await page.waitForURL('**/services/database/db-unreachable/#check-pool');
  // Nothing near: no box, the page's own link to the index stays.
  await page.goto('/r/zzzzzzzzzzzz');
  await expect(page.getByRole('link', { name: 'shortlink index' })).toBeVisible();
  await expect(page.locator('.rb-suggest')).toHaveCount(0);
});

test('every shortlink also has a flat <slug>.html page, so hosts with clean URLs answer /r/<slug> without a directory redirect', async ({
  request,
}) => {
  const links = (await (await request.get('/shortlinks.json')).json()).shortlinks as { slug: string }[];
  expect(links.length).toBeGreaterThan(10);
  for (const { slug } of links) {
    const flat = await request.get(`/r/${slug}.html`);
    expect(flat.status(), slug).toBe(200);
    expect(await flat.text(), slug).toBe(await (await request.get(`/r/${slug}/`)).text());
  }
});
