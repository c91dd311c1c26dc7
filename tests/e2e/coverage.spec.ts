import { expect, type Page, test } from '@playwright/test';

// /coverage/ on the example site: the headline, the gaps the example's alert rules leave
// (alerts/kestrel.rules.yaml, group notifications), links that land, a phone.

const PHONE = { width: 390, height: 844 };
const headline = (page: Page) => page.getByTestId('coverage-headline');

test('says the headline, then the gaps: the alerts without a runbook and the uncovered service', async ({ page }) => {
  await page.goto('/coverage/');
  await expect(headline(page)).toHaveText(
    '88% of paging alerts land on a runbook reviewed within its cadence — 8 of 9',
  );
  // The same number per team, with its bar.
  const platform = page.locator('table.rb-cov-teams tr').filter({ hasText: '@platform-team' });
  await expect(platform).toContainText('75% · 3 of 4');
  await expect(platform.locator('svg.rb-cov-bar')).toHaveCount(1);

  const missing = page.locator('table.rb-cov-alerts').first();
  await expect(missing.locator('tbody tr')).toHaveCount(2);
  await expect(missing.locator('tbody tr').nth(0)).toContainText('EmailQueueBacklog');
  await expect(missing.locator('tbody tr').nth(0)).toContainText('alerts/kestrel.rules.yaml:');
  await expect(missing.locator('tbody tr').nth(1)).toContainText('WebhookDeliveryFailing');
  await expect(missing.locator('tbody tr').nth(1)).toContainText('SEV-2');

  const services = page.locator('#services-uncovered + ul');
  await expect(services.locator('li')).toHaveCount(1);
  await expect(services).toContainText('notifications, named by EmailQueueBacklog, WebhookDeliveryFailing');
});

test('a runbook link and a block link land on the runbook, at the block', async ({ page }) => {
  await page.goto('/coverage/');
  await page.locator('#runbooks-without-alerts + ul').getByRole('link', { name: 'Data-layer corruption' }).click();
  await expect(page).toHaveURL(/\/services\/database\/data-corruption\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Data-layer corruption');

  await page.goBack();
  await page.getByRole('link', { name: /restart-pgbouncer/ }).click();
  await expect(page).toHaveURL(/\/services\/database\/db-unreachable\/#restart-pgbouncer$/);
  await expect(page.locator('[id="restart-pgbouncer"]')).toBeInViewport();
});

test('is linked from /runbooks/ and from the sidebar', async ({ page }) => {
  await page.goto('/runbooks/');
  await page.getByRole('main').getByRole('link', { name: 'coverage', exact: true }).click();
  await expect(headline(page)).toBeVisible();
  await expect(page.locator('#starlight__sidebar').getByRole('link', { name: 'Coverage' })).toHaveAttribute(
    'aria-current',
    'page',
  );
});

test('on a phone: no sideways scroll of the page, each team a labelled card', async ({ browser }) => {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  await page.goto('/coverage/');
  await expect(headline(page)).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  // The table's header row is hidden; each value carries its label above it.
  const label = await page
    .locator('table.rb-cov-teams td[data-label="Runbooks"]')
    .first()
    .evaluate((td) => getComputedStyle(td, '::before').content);
  expect(label).toBe('"Runbooks"');
  await context.close();
});

// axe in both themes, on a desktop and a phone: a11y.spec.ts, with the other pages people read.
