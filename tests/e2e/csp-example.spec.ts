import { existsSync, readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { htmlFiles } from '../../src/plugins/site/headers.ts';

// The example site under its own Content-Security-Policy (src/plugins/site/csp.ts): any
// violation on one of our pages means a script or style of ours no longer runs.

const DIST = 'dist';

/** Every message Chromium logs about the policy, on every document the page opens. */
function policyMessages(page: Page): string[] {
  const seen: string[] = [];
  page.on(
    'console',
    (m) => /Content Security Policy|Content-Security-Policy/i.test(m.text()) && seen.push(`${page.url()}: ${m.text()}`),
  );
  return seen;
}

test('no page of the example site reports a CSP violation as it loads', async ({ page }) => {
  test.setTimeout(600_000);
  expect(existsSync(DIST), 'build the site first (npm run build)').toBe(true);
  const seen = policyMessages(page);
  const files = htmlFiles(DIST);
  expect(files.length).toBeGreaterThan(50);
  for (const file of files) {
    const path = `/${file.replace(/(^|\/)index\.html$/, '$1')}`;
    const target = /<meta name="runbooks:target" content="([^"]*)"/.exec(readFileSync(`${DIST}/${file}`, 'utf8'))?.[1];
    if (target === undefined) {
      await page.goto(path, { waitUntil: 'load' });
    } else if (target.startsWith('/')) {
      // A shortlink page: its own script and meta refresh move on to the runbook at once.
      await page.goto(path, { waitUntil: 'commit' });
      await page.waitForURL((url) => !url.pathname.startsWith('/r/'), { waitUntil: 'load' });
    }
    // (A shortlink to another site leaves this one: nothing of ours to check there.)
  }
  // Let the last page's deferred scripts run too.
  await page.waitForTimeout(500);
  expect(seen).toEqual([]);
});

test('the quick-jump dialog with a Pagefind search (WebAssembly, a worker), the theme switch and a run block copy run without a violation', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const seen = policyMessages(page);
  await page.goto('/services/database/db-unreachable/');
  await page.keyboard.press('/');
  const input = page.getByRole('combobox', { name: 'Search runbooks' });
  await expect(input).toBeFocused();
  await input.fill('terminate');
  await expect(page.getByRole('group', { name: 'Full text' }).getByRole('option').first()).toBeVisible();
  await page.keyboard.press('Escape');
  await page
    .getByRole('combobox', { name: 'Select theme' })
    .first()
    .selectOption('light')
    .catch(() => page.locator('starlight-theme-select select').first().selectOption('light'));
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.locator('.rb-snippet .copy button').first().click();
  // Enter in the variables form submits nothing (boot.ts, not an onsubmit attribute): the
  // value stays out of the URL and form-action 'none' is never reached.
  await page.locator('details.rb-vars summary').click();
  const field = page.locator('[data-rb-vars] input[name="API_HEALTH_URL"]');
  await field.fill('https://api.example/health');
  await field.press('Enter');
  await page.waitForTimeout(500);
  expect(new URL(page.url()).search).toBe('');
  await expect(field).toHaveValue('https://api.example/health');
  expect(seen).toEqual([]);
});
